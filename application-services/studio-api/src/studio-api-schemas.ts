import { catalogContract, CourseView } from '@strata/catalog/contract';
import { CheckoutView } from '@strata/ordering/contract';
import { MAX_PAGE_LIMIT, pageOf, z } from '@strata/shared-kernel';
import { CourseSalesFigures } from './course-sales-figures.ts';
import { CourseLearningStats } from '@strata/learning/contract';
import { LinkVisitStats, linksContract, ShortLinkView } from '@strata/links/contract';

const Course = catalogContract.aggregates.Course;

// Taken from the catalog contract, so the API accepts exactly what commerce-service will, and a
// refusal names the field as the caller sent it.
export const DraftCourseBody = Course.creations.draft.input;
export type DraftCourseBody = z.output<typeof DraftCourseBody>;

export const EditCourseDetailsBody = Course.commands.editDetails.input;
export type EditCourseDetailsBody = z.output<typeof EditCourseDetailsBody>;

export const AddLessonBody = Course.commands.addLesson.input;
export type AddLessonBody = z.output<typeof AddLessonBody>;

export const RenameLessonBody = Course.commands.renameLesson.input.pick({ title: true });
export type RenameLessonBody = z.output<typeof RenameLessonBody>;

// The lesson of these two comes from the path; the commands carry the catalog's input whole.
export type RenameLessonInput = z.output<typeof Course.commands.renameLesson.input>;
export type RemoveLessonInput = z.output<typeof Course.commands.removeLesson.input>;

/** Publishing and unpublishing take nothing but the course. */
export type PublicationInput = z.output<typeof Course.commands.publish.input>;

export const ReorderLessonsBody = Course.commands.reorderLessons.input;
export type ReorderLessonsBody = z.output<typeof ReorderLessonsBody>;

export const SetPriceBody = Course.commands.setPrice.input;
export type SetPriceBody = z.output<typeof SetPriceBody>;

export const CourseParams = z.object({ courseId: z.uuid() });
export type CourseParams = z.output<typeof CourseParams>;

export const LessonParams = z.object({ courseId: z.uuid(), lessonId: z.uuid() });
export type LessonParams = z.output<typeof LessonParams>;

/** Query strings are text: the limit is coerced, then held to the finder's own bounds. */
export const MyCoursesQuery = z.object({
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type MyCoursesQuery = z.output<typeof MyCoursesQuery>;

export { CourseView };
export const CoursePageView = pageOf(CourseView);
export type CoursePage = z.output<typeof CoursePageView>;

/** An admin may ask for any instructor's sales; an instructor sees their own (naming themselves is fine). */
export const SalesQuery = z.object({ instructorId: z.uuid().optional() });
export type SalesQuery = z.output<typeof SalesQuery>;

export { CourseSalesFigures };
export const SalesView = z.object({
  /** Whose courses these are; null when an admin asked for every course. */
  instructorId: z.uuid().nullable(),
  courses: z.array(CourseSalesFigures),
});
export type SalesView = z.output<typeof SalesView>;

/** Query strings are text: numbers are coerced, then held to the finder's own bounds. */
export const UnfinishedCheckoutsQuery = z.object({
  /** Only checkouts unchanged for at least this long (0: every unfinished one); a year at most. */
  stalledForSeconds: z.coerce.number().int().min(0).max(31_536_000).default(0),
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(20),
});
export type UnfinishedCheckoutsQuery = z.output<typeof UnfinishedCheckoutsQuery>;

/** A checkout is addressed by its order's id. */
export const CheckoutParams = z.object({ orderId: z.uuid() });
export type CheckoutParams = z.output<typeof CheckoutParams>;

export { CheckoutView };
export const CheckoutPageView = pageOf(CheckoutView);
export type CheckoutPage = z.output<typeof CheckoutPageView>;

/** An admin may ask for any instructor's learning figures; an instructor sees their own. */
export const LearningStatsQuery = z.object({
  instructorId: z.uuid().optional(),
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(20),
});
export type LearningStatsQuery = z.output<typeof LearningStatsQuery>;

export { CourseLearningStats };
export const LearningStatsPageView = pageOf(CourseLearningStats);
export type LearningStatsPage = z.output<typeof LearningStatsPageView>;

const ShortLink = linksContract.aggregates.ShortLink;

/**
 * A campaign link to one of the caller's courses: the links contract's own fields (slug, expiry,
 * maximum visits, so a refusal names the field as sent and carries the rule's code), the target
 * being the course's public page.
 */
export const CreateCampaignLinkBody = ShortLink.creations.create.input
  .omit({ targetUrl: true })
  .extend({ courseId: z.uuid() });
export type CreateCampaignLinkBody = z.output<typeof CreateCampaignLinkBody>;

export const LinkParams = z.object({ linkId: z.uuid() });
export type LinkParams = z.output<typeof LinkParams>;

/** Query strings are text: the limit is coerced; `since` bounds the hours of statistics answered. */
export const MyLinksQuery = z.object({
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  since: z.iso.datetime().optional(),
});
export type MyLinksQuery = z.output<typeof MyLinksQuery>;

/** A link as the studio shows it: where it is served, the course it leads to (null: not a course page). */
export const CampaignLinkView = ShortLinkView.extend({
  shortUrl: z.url(),
  courseId: z.uuid().nullable(),
});
export type CampaignLinkView = z.output<typeof CampaignLinkView>;

/** In the list, with its visit statistics (hour by hour, bots apart; see the links glossary). */
export const CampaignLinkWithStats = CampaignLinkView.extend({
  stats: LinkVisitStats.omit({ linkId: true }),
});
export type CampaignLinkWithStats = z.output<typeof CampaignLinkWithStats>;
export const CampaignLinkPageView = pageOf(CampaignLinkWithStats);
export type CampaignLinkPage = z.output<typeof CampaignLinkPageView>;
