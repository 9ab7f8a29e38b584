import { Controller, Get, Header, HttpCode, Inject, Module, type DynamicModule } from '@nestjs/common';
import { RpcError } from '@strata/shared-kernel';

export const OPENAPI_DOCUMENT = Symbol('OpenApiDocument');
export const HEALTH_CHECKS = Symbol('HealthChecks');

/** A dependency the service cannot answer without, e.g. Redis; `check` throws when it is down. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

@Controller()
class HealthController {
  readonly #checks: HealthCheck[];

  constructor(@Inject(HEALTH_CHECKS) checks: HealthCheck[]) {
    this.#checks = checks;
  }

  @Get('health')
  @HttpCode(200)
  async health(): Promise<{ status: 'ok'; checks: Record<string, 'ok'> }> {
    const results = await Promise.allSettled(this.#checks.map((check) => check.check()));
    const failed = results.flatMap((result, index) =>
      result.status === 'rejected'
        ? [`${this.#checks[index]!.name}: ${String(result.reason?.message ?? result.reason)}`]
        : [],
    );
    if (failed.length > 0) {
      throw new RpcError('UNAVAILABLE', `not healthy: ${failed.join('; ')}`, { reason: 'dependency-down' });
    }
    return {
      status: 'ok',
      checks: Object.fromEntries(this.#checks.map((check) => [check.name, 'ok' as const])),
    };
  }
}

@Controller()
class OpenApiController {
  readonly #document: Record<string, unknown>;

  constructor(@Inject(OPENAPI_DOCUMENT) document: Record<string, unknown>) {
    this.#document = document;
  }

  @Get('openapi.json')
  @Header('content-type', 'application/json')
  openApi(): Record<string, unknown> {
    return this.#document;
  }
}

/** `/health` and `/openapi.json` for every Strata HTTP app. */
@Module({})
export class RuntimeModule {
  static forRoot(options: { openApi: Record<string, unknown>; healthChecks?: HealthCheck[] }): DynamicModule {
    return {
      module: RuntimeModule,
      controllers: [HealthController, OpenApiController],
      providers: [
        { provide: OPENAPI_DOCUMENT, useValue: options.openApi },
        { provide: HEALTH_CHECKS, useValue: options.healthChecks ?? [] },
      ],
    };
  }
}
