import { Controller, HttpCode, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { BearerAuthGuard, Caller, RequestId, ZodValidationPipe, type VerifiedCaller } from '@strata/runtime';
import { CertificateParams, CourseParams, type SharedLinkView } from './learner-api-schemas.ts';
import { ShareLinkCommand, type Shared } from './share-link.command.ts';

/** What the handler sets on the answer itself; Fastify's reply fits it. */
interface Reply {
  status(code: number): unknown;
}

/**
 * Sharing, for the verified learner: a short link to a published course's page, or to the public
 * check of one of their certificates. 201 when the link is made, 200 with the learner's link to the
 * same page when they have one: asking again never makes a second.
 */
@Controller('share-links')
@UseGuards(BearerAuthGuard)
export class ShareLinksController {
  readonly #commands: CommandBus;

  constructor(@Inject(CommandBus) commands: CommandBus) {
    this.#commands = commands;
  }

  @Post('courses/:courseId')
  @HttpCode(200)
  shareCourse(
    @Param(new ZodValidationPipe(CourseParams, 'params')) { courseId }: CourseParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @Res({ passthrough: true }) reply: Reply,
  ): Promise<SharedLinkView> {
    return this.#share({ course: courseId }, caller, correlationId, reply);
  }

  @Post('certificates/:certificateId')
  @HttpCode(200)
  shareCertificate(
    @Param(new ZodValidationPipe(CertificateParams, 'params')) { certificateId }: CertificateParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
    @Res({ passthrough: true }) reply: Reply,
  ): Promise<SharedLinkView> {
    return this.#share({ certificate: certificateId }, caller, correlationId, reply);
  }

  async #share(
    shared: Shared,
    caller: VerifiedCaller,
    correlationId: string,
    reply: Reply,
  ): Promise<SharedLinkView> {
    const outcome = await this.#commands.execute(new ShareLinkCommand({ caller, shared, correlationId }));
    reply.status(outcome.made ? 201 : 200);
    return outcome.link;
  }
}
