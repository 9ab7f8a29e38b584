import { Errors, ServiceBroker, type Context } from 'moleculer';
import { courseDraftSchema } from '../payload.ts';
import { announceReady, assignedPort } from '../server-process.ts';
import { brokerOptions, SERVER_NODE_ID } from './moleculer-transport.ts';

const broker = new ServiceBroker(brokerOptions(SERVER_NODE_ID, { port: assignedPort() }));
broker.createService({
  name: 'course',
  actions: {
    echo(context: Context<unknown>) {
      const parsed = courseDraftSchema.safeParse(context.params);
      if (!parsed.success)
        throw new Errors.ValidationError(parsed.error.message, 'INVALID_ARGUMENT', parsed.error.issues);
      return parsed.data;
    },
  },
});

await broker.start();
announceReady(() => broker.stop());
