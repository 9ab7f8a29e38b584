import { RequestMethod, type Type } from '@nestjs/common';
import {
  GUARDS_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { BearerAuthGuard } from '../../src/bearer-auth.guard.ts';
import { pathTemplateNames } from '../../src/openapi-document.ts';
import { ZodValidationPipe } from '../../src/zod-validation.pipe.ts';

/** A gateway route as the route file writes it: enough to tell which route serves a path and whether it needs a login. */
export interface GatewayRouteEntry {
  prefix: string;
  service: string;
  stripPrefix?: boolean | string;
  plugins?: { auth?: unknown };
}

/** What a handler really does, read from its Nest decorators: the truth a document is held to. */
export interface RouteFacts {
  method: string;
  /** OpenAPI style: `/courses/{courseId}`. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  guarded: boolean;
}

interface RouteArgument {
  index: number;
  data?: unknown;
  pipes?: unknown[];
}

function joinPath(...parts: unknown[]): string {
  const joined = parts
    .flatMap((part) => String(part ?? '').split('/'))
    .filter((segment) => segment !== '')
    .join('/');
  return `/${joined}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function keysRead(argument: RouteArgument, part: 'query' | 'params'): string[] {
  if (typeof argument.data === 'string') return [argument.data];
  return (argument.pipes ?? []).flatMap((pipe) =>
    pipe instanceof ZodValidationPipe && pipe.part === part
      ? Object.keys((pipe.schema as { shape?: Record<string, unknown> }).shape ?? {})
      : [],
  );
}

export function routeFacts(controllers: readonly Type[]): RouteFacts[] {
  return controllers.flatMap((controller) => {
    const classGuards = (Reflect.getMetadata(GUARDS_METADATA, controller) ?? []) as unknown[];
    return Object.getOwnPropertyNames(controller.prototype).flatMap((name) => {
      const handler = controller.prototype[name] as object;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (name === 'constructor' || method === undefined) return [];
      const args = Object.entries(
        (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, RouteArgument>,
      );
      const read = (type: RouteParamtypes, part: 'query' | 'params') =>
        args.filter(([key]) => key.split(':')[0] === String(type)).flatMap(([, arg]) => keysRead(arg, part));
      const guards = [
        ...classGuards,
        ...((Reflect.getMetadata(GUARDS_METADATA, handler) ?? []) as unknown[]),
      ];
      return [
        {
          method: RequestMethod[method]!.toLowerCase(),
          path: joinPath(
            Reflect.getMetadata(PATH_METADATA, controller),
            Reflect.getMetadata(PATH_METADATA, handler),
          ),
          pathParams: read(RouteParamtypes.PARAM, 'params').sort(),
          queryParams: read(RouteParamtypes.QUERY, 'query').sort(),
          guarded: guards.includes(BearerAuthGuard),
        },
      ];
    });
  });
}

/** The route of the route file that serves an app path, as the gateway's longest-prefix match would. */
function gatewayRouteFor(
  service: string,
  path: string,
  routes: readonly GatewayRouteEntry[],
): GatewayRouteEntry | undefined {
  const servesPath = (route: GatewayRouteEntry) => {
    const stripped = route.stripPrefix === true ? route.prefix : route.stripPrefix || '';
    const outside = `${stripped}${path}`;
    return outside === route.prefix || outside.startsWith(`${route.prefix}/`);
  };
  const candidates = routes.filter((route) => route.service === service && servesPath(route));
  return candidates.sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

interface Operation {
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
}

/**
 * Every way an OpenAPI document differs from the routes it describes: an undocumented route, a
 * `{param}` not declared `in: path`, a query parameter the handler reads but the document does not
 * name (or the reverse), and security unlike what the app's guard or the gateway route enforces.
 */
export function openApiDiscrepancies(options: {
  document: { paths: Record<string, Record<string, Operation>> };
  controllers: readonly Type[];
  service: string;
  gatewayRoutes: readonly GatewayRouteEntry[];
}): string[] {
  const { document, service, gatewayRoutes } = options;
  const problems: string[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const declaredPath = (operation.parameters ?? []).filter((p) => p.in === 'path');
      for (const name of pathTemplateNames(path)) {
        if (!declaredPath.some((p) => p.name === name && p.required === true))
          problems.push(
            `${method.toUpperCase()} ${path}: {${name}} is not declared as a required path parameter`,
          );
      }
    }
  }
  for (const route of routeFacts(options.controllers)) {
    const where = `${route.method.toUpperCase()} ${route.path}`;
    const operation = document.paths[route.path]?.[route.method];
    if (operation === undefined) {
      problems.push(`${where}: served but not in the document`);
      continue;
    }
    const declared = (kind: string) =>
      (operation.parameters ?? [])
        .filter((p) => p.in === kind)
        .map((p) => p.name)
        .sort();
    if (JSON.stringify(declared('query')) !== JSON.stringify(route.queryParams))
      problems.push(
        `${where}: reads query [${route.queryParams}] but the document declares [${declared('query')}]`,
      );
    if (JSON.stringify(declared('path')) !== JSON.stringify(route.pathParams))
      problems.push(
        `${where}: validates path [${route.pathParams}] but the document declares [${declared('path')}]`,
      );
    const gateway = gatewayRouteFor(service, route.path, gatewayRoutes);
    if (gateway === undefined) problems.push(`${where}: no gateway route serves it`);
    const loginRequired = route.guarded || gateway?.plugins?.auth !== undefined;
    const documented = Array.isArray(operation.security) && operation.security.length > 0;
    if (loginRequired !== documented)
      problems.push(
        `${where}: ${loginRequired ? 'needs' : 'needs no'} login (app guard: ${route.guarded}, gateway auth: ${gateway?.plugins?.auth !== undefined}) but the document says ${documented ? 'bearer' : 'none'}`,
      );
  }
  return problems;
}
