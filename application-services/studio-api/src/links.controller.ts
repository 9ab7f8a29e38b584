import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { BearerAuthGuard, Caller, RequestId, ZodValidationPipe, type VerifiedCaller } from '@strata/runtime';
import { CreateCampaignLinkCommand } from './create-campaign-link.command.ts';
import { ListMyLinksQuery } from './list-my-links.query.ts';
import {
  CreateCampaignLinkBody,
  LinkParams,
  MyLinksQuery,
  type CampaignLinkPage,
  type CampaignLinkView,
} from './studio-api-schemas.ts';
import { SwitchLinkCommand } from './switch-link.command.ts';

const link = new ZodValidationPipe(LinkParams, 'params');

/** An instructor's campaign short links: make one to a course of theirs, list them with visits, switch them off and on. */
@Controller('links')
@UseGuards(BearerAuthGuard)
export class LinksController {
  readonly #commands: CommandBus;
  readonly #queries: QueryBus;

  constructor(@Inject(CommandBus) commands: CommandBus, @Inject(QueryBus) queries: QueryBus) {
    this.#commands = commands;
    this.#queries = queries;
  }

  @Post()
  @HttpCode(201)
  create(
    @Body(new ZodValidationPipe(CreateCampaignLinkBody, 'body')) input: CreateCampaignLinkBody,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<CampaignLinkView> {
    return this.#commands.execute(new CreateCampaignLinkCommand({ caller, input, correlationId }));
  }

  @Get()
  mine(
    @Query(new ZodValidationPipe(MyLinksQuery, 'query')) paging: MyLinksQuery,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<CampaignLinkPage> {
    return this.#queries.execute(new ListMyLinksQuery({ caller, paging, correlationId }));
  }

  @Post(':linkId/disable')
  @HttpCode(200)
  disable(
    @Param(link) { linkId }: LinkParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<CampaignLinkView> {
    return this.#commands.execute(new SwitchLinkCommand({ caller, linkId, to: 'disabled', correlationId }));
  }

  @Post(':linkId/enable')
  @HttpCode(200)
  enable(
    @Param(link) { linkId }: LinkParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<CampaignLinkView> {
    return this.#commands.execute(new SwitchLinkCommand({ caller, linkId, to: 'active', correlationId }));
  }
}
