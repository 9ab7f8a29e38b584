// The baseline the original team started from, "MVC": one process, Fastify, MikroORM on the same
// MariaDB table commerce-service writes, one query per request, JSON out. It answers
// GET /courses/:id with the same view learner-api answers (the contract's CourseView), 404 for a
// course that is unknown or not published. Nothing is turned down: MikroORM's own defaults
// (pool size 10, as commerce-service's), Fastify's defaults (logger off), a fresh entity manager
// per request as MikroORM asks. Prints `ready <port>`.
import { EntitySchema, MikroORM } from '@mikro-orm/mysql';
import Fastify from 'fastify';

interface CourseRow {
  id: string;
  instructorId: string;
  title: string;
  description: string;
  status: string;
  lessons: { id: string; title: string }[];
  priceAmount: number | null;
  priceCurrency: string | null;
  draftedAt: Date;
  publishedAt: Date | null;
  version: number;
}

const Course = new EntitySchema<CourseRow>({
  name: 'Course',
  tableName: 'courses',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    instructorId: { type: 'string', fieldName: 'instructor_id' },
    title: { type: 'string' },
    description: { type: 'text' },
    status: { type: 'string' },
    lessons: { type: 'json' },
    priceAmount: { type: 'integer', nullable: true, fieldName: 'price_amount' },
    priceCurrency: { type: 'string', nullable: true, fieldName: 'price_currency' },
    draftedAt: { type: 'datetime', fieldName: 'drafted_at' },
    publishedAt: { type: 'datetime', nullable: true, fieldName: 'published_at' },
    version: { type: 'integer' },
  },
});

const [database, host, port, user, password] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const orm = await MikroORM.init({
  entities: [Course],
  dbName: database,
  host,
  port: Number(port),
  user,
  password,
  debug: false,
});

const app = Fastify();
app.get<{ Params: { id: string } }>('/courses/:id', async (request, reply) => {
  const course = await orm.em.fork().findOne(Course, { id: request.params.id, status: 'published' });
  if (course === null) return reply.code(404).send({ title: 'course not found' });
  return {
    id: course.id,
    instructorId: course.instructorId,
    title: course.title,
    description: course.description,
    status: course.status,
    price:
      course.priceAmount === null || course.priceCurrency === null
        ? null
        : { amount: course.priceAmount, currency: course.priceCurrency },
    lessons: course.lessons,
    draftedAt: course.draftedAt.toISOString(),
    publishedAt: course.publishedAt?.toISOString() ?? null,
    version: course.version,
  };
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
console.log(`ready ${typeof address === 'object' && address !== null ? address.port : ''}`);
const stop = async () => {
  await app.close();
  await orm.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.stdin.once('end', () => void stop());
process.stdin.resume();
process.stdin.unref();
