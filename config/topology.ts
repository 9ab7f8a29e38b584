import { z } from '@strata/shared-kernel';

/*
 * Which process hosts which bounded context, which application service calls which context, and
 * who consumes which domain event: the deployment shape of ARCHITECTURE.md as plain data. The docs
 * generator draws the context map and the event catalog from it; the service runner reads it to
 * decide what to start.
 *
 * It names the platform's target contexts, built or not. A context listed here with no package
 * under contexts/ yet is planned: the docs leave it out, and `npm run docs:check` starts checking
 * its event names against its contract the day the package appears. A context in code that no data
 * service hosts, or a consumed event its contract does not declare, fails that check.
 */

const contextName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a context name is kebab-case, e.g. "catalog"');
const serviceName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'a service name is kebab-case, e.g. "commerce-service"');
const eventType = z
  .string()
  .regex(/^[A-Z][A-Za-z0-9]*$/, 'an event type is PascalCase in the past tense, e.g. "CoursePublished"');

/** Events a service consumes, grouped by the context that publishes them. */
const consumedEvents = z.record(contextName, z.array(eventType).min(1)).default({});

const dataService = z.object({
  contexts: z.array(contextName).min(1),
  consumes: consumedEvents,
});

const applicationService = z.object({
  calls: z.array(contextName).min(1),
  consumes: consumedEvents,
});

export const TopologySchema = z
  .object({
    dataServices: z.record(serviceName, dataService),
    applicationServices: z.record(serviceName, applicationService),
  })
  .superRefine((topology, ctx) => {
    const host = new Map<string, string>();
    for (const [service, { contexts }] of Object.entries(topology.dataServices)) {
      contexts.forEach((context, index) => {
        const other = host.get(context);
        if (other !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['dataServices', service, 'contexts', index],
            message: `context ${context} is already hosted by ${other}; a context lives in exactly one data service`,
          });
        }
        host.set(context, service);
      });
    }
    const mustBeHosted = (context: string, path: (string | number)[]): void => {
      if (!host.has(context)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `context ${context} is hosted by no data service; add it to one under dataServices`,
        });
      }
    };
    const services: { path: string[]; calls: string[]; consumes: Record<string, string[]> }[] = [
      ...Object.entries(topology.dataServices).map(([service, { consumes }]) => ({
        path: ['dataServices', service],
        calls: [],
        consumes,
      })),
      ...Object.entries(topology.applicationServices).map(([service, { calls, consumes }]) => ({
        path: ['applicationServices', service],
        calls,
        consumes,
      })),
    ];
    for (const { path, calls, consumes } of services) {
      const service = path[1]!;
      if (path[0] === 'applicationServices' && service in topology.dataServices) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${service} is also a data service; every service name must be unique`,
        });
      }
      calls.forEach((context, index) => mustBeHosted(context, [...path, 'calls', index]));
      for (const [context, events] of Object.entries(consumes)) {
        mustBeHosted(context, [...path, 'consumes', context]);
        const seen = new Set<string>();
        events.forEach((event, index) => {
          if (seen.has(event)) {
            ctx.addIssue({
              code: 'custom',
              path: [...path, 'consumes', context, index],
              message: `${context}.${event} is listed twice`,
            });
          }
          seen.add(event);
        });
      }
    }
  });

export type Topology = z.output<typeof TopologySchema>;
export type TopologyInput = z.input<typeof TopologySchema>;

/** Validates a topology, naming every offending path: `dataServices.commerce-service.contexts.0: …`. */
export function parseTopology(input: unknown, source = 'topology'): Topology {
  const result = TopologySchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new TypeError(`${source} is invalid:\n${lines.join('\n')}`);
  }
  return result.data;
}

export const topology: Topology = parseTopology(
  {
    dataServices: {
      'identity-service': { contexts: ['identity'] },
      'commerce-service': {
        contexts: ['catalog', 'ordering'],
        consumes: {
          // Ordering's offers: what is for sale, at what price, by whom (its own table, never the catalog's).
          catalog: [
            'CoursePublished',
            'CoursePriceChanged',
            'CourseDetailsEdited',
            'CourseUnpublished',
            'CourseArchived',
          ],
          // Ordering's record of certificates: no refund of an order once a course of it is certified;
          // and the checkout completes once every course of its order is granted.
          learning: ['CertificateIssued', 'EnrollmentGranted'],
        },
      },
      'learning-service': {
        contexts: ['learning'],
        consumes: {
          // The course outlines: progress knows a course is complete when every lesson of its outline is
          // done, and only a free course in the catalog is enrolled in without an order (price, listing).
          catalog: [
            'CoursePublished',
            'CoursePriceChanged',
            'CourseUnpublished',
            'CourseArchived',
            'LessonAdded',
            'LessonRemoved',
            'LessonsReordered',
          ],
          // Paying grants the enrollment, a refund revokes it.
          ordering: ['OrderPaid', 'OrderRefunded'],
          // Its own completions, from its own topic: each earns its certificate, once per enrollment.
          learning: ['CourseCompleted'],
        },
      },
      'engagement-service': {
        contexts: ['notification', 'links'],
        consumes: {
          // Each becomes one notification in the learner's feed: welcome, receipt, refund, course
          // ready, certificate ready (the certificate, not the completion: it has the code to show).
          identity: ['UserRegistered'],
          ordering: ['OrderPaid', 'OrderRefunded'],
          learning: ['EnrollmentGranted', 'CertificateIssued'],
          // Its own: marking all read reaches each notification's record.
          notification: ['NotificationsRead'],
          // Its own visits, from their own topic (…links.events.visits, ADR 0063) and, shipped there by
          // older redirect instances, the links topic: folded into each link's hourly visit statistics.
          links: ['LinkVisited', 'LinkVisitsRecorded'],
        },
      },
    },
    applicationServices: {
      'account-api': {
        calls: ['identity'],
        // Sessions and tokens of a user end when their standing, roles or password change.
        consumes: { identity: ['PasswordChanged', 'RoleGranted', 'RoleRevoked', 'UserSuspended'] },
      },
      'learner-api': {
        calls: ['catalog', 'ordering', 'learning', 'notification', 'links'],
        consumes: {
          // The cache of published courses learners browse.
          catalog: [
            'CoursePublished',
            'CourseDetailsEdited',
            'CoursePriceChanged',
            'CourseUnpublished',
            'CourseArchived',
          ],
          // Live push of a learner's new notifications.
          notification: ['NotificationCreated'],
        },
      },
      'studio-api': {
        // learning: the instructors' learning figures, beside the sales; links: their campaign links.
        calls: ['catalog', 'ordering', 'learning', 'links'],
        // The instructors' sales read model.
        consumes: { ordering: ['OrderPaid', 'OrderRefunded'] },
      },
    },
  },
  'config/topology.ts',
);
