import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { verifiedCallerOf } from '@strata/runtime';
import { requireAdmin } from './studio-roles.ts';

/**
 * Admits admins only (403, reason `admin-role-required`). Listed after BearerAuthGuard, it runs
 * before any pipe, so a non-admin learns nothing from validation: only that the route is not theirs.
 */
@Injectable()
export class AdminRoleGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    requireAdmin(verifiedCallerOf(context), "use the operators' routes");
    return true;
  }
}
