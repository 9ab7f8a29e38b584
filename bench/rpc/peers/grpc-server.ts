import * as grpc from '@grpc/grpc-js';
import { courseDraftSchema } from '../payload.ts';
import { announceReady, assignedPort } from '../server-process.ts';
import { CourseEcho } from './course-echo-proto.ts';

const server = new grpc.Server();
server.addService(CourseEcho.service, {
  echo(call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
    const parsed = courseDraftSchema.safeParse(call.request);
    if (parsed.success) callback(null, parsed.data);
    else callback({ code: grpc.status.INVALID_ARGUMENT, details: parsed.error.message });
  },
});

server.bindAsync(`127.0.0.1:${assignedPort()}`, grpc.ServerCredentials.createInsecure(), (error) => {
  if (error) throw error;
  announceReady(() => new Promise((resolve) => server.tryShutdown(() => resolve())));
});
