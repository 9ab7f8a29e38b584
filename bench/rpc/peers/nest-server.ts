import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  MessagePattern,
  Payload,
  RpcException,
  Transport,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import { courseDraftSchema } from '../payload.ts';
import { announceReady, assignedPort } from '../server-process.ts';
import { ECHO_PATTERN } from './nest-pattern.ts';

@Controller()
class CourseEchoController {
  @MessagePattern(ECHO_PATTERN)
  echo(@Payload() draft: unknown): unknown {
    const parsed = courseDraftSchema.safeParse(draft);
    if (!parsed.success) throw new RpcException({ code: 'INVALID_ARGUMENT', issues: parsed.error.issues });
    return parsed.data;
  }
}

@Module({ controllers: [CourseEchoController] })
class BenchModule {}

const app = await NestFactory.createMicroservice<MicroserviceOptions>(BenchModule, {
  transport: Transport.TCP,
  options: { host: '127.0.0.1', port: assignedPort() },
  logger: ['error'],
});
await app.listen();
announceReady(() => app.close());
