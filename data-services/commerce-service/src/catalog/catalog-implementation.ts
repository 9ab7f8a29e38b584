import { Course, maySeeEveryCourseOf, toCourseView, type CatalogQueries } from '@strata/catalog';
import type { catalogContract } from '@strata/catalog/contract';
import { actorOf, type ContractImplementation } from '@strata/rpc';
import { Money } from '@strata/shared-kernel';

/**
 * The catalog contract served by the Course aggregate: each handler is one domain method, with
 * the caller as the domain's actor; ownership and every rule are the course's own decision.
 */
export function catalogImplementation(
  queries: CatalogQueries,
): ContractImplementation<typeof catalogContract, { Course: Course }> {
  return {
    Course: {
      aggregateType: 'Course',
      toView: toCourseView,
      creations: {
        draft: (input, context) => Course.draft(input, actorOf(context), context.clock),
      },
      commands: {
        editDetails: (course, input, context) => course.editDetails(input, actorOf(context), context.clock),
        addLesson: (course, input, context) => {
          course.addLesson(input, actorOf(context), context.clock);
        },
        renameLesson: (course, input, context) => course.renameLesson(input, actorOf(context), context.clock),
        removeLesson: (course, input, context) => course.removeLesson(input, actorOf(context), context.clock),
        reorderLessons: (course, input, context) =>
          course.reorderLessons(input, actorOf(context), context.clock),
        setPrice: (course, input, context) =>
          course.setPrice(
            Money.of(input.price.amount, input.price.currency),
            actorOf(context),
            context.clock,
          ),
        publish: (course, _input, context) => course.publish(actorOf(context), context.clock),
        unpublish: (course, _input, context) => course.unpublish(actorOf(context), context.clock),
        archive: (course, _input, context) => course.archive(actorOf(context), context.clock),
      },
      queries: {
        findPublished: (input) => queries.publishedCourses(input),
        findByInstructor: (input, _scope, context) =>
          queries.coursesOfInstructor({
            ...input,
            publishedOnly: !maySeeEveryCourseOf(context.caller, input.instructorId),
          }),
      },
    },
  };
}
