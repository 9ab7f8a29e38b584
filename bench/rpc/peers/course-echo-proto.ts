import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/**
 * proto-loader turned to give back the same JavaScript shape as the other peers (camelCase keys,
 * int64 as a number, empty lists present), so the server can run the shared zod schema as is.
 */
const definition = loadSync(new URL('./course-echo.proto', import.meta.url).pathname, {
  keepCase: false,
  longs: Number,
  defaults: true,
  arrays: true,
});

const loaded = grpc.loadPackageDefinition(definition) as unknown as {
  strata: { bench: { CourseEcho: grpc.ServiceClientConstructor } };
};

export const CourseEcho = loaded.strata.bench.CourseEcho;
