import { plainText, z } from '@strata/shared-kernel';
import { displayNameText } from './domain/display-name.ts';
import { EMAIL_MAX_LENGTH } from './domain/email-address.ts';
import { ROLES } from './domain/role.ts';

// Identity's fields as they travel (RPC inputs, the view, event payloads): one schema a field.

export const email = z.email().max(EMAIL_MAX_LENGTH);

export const role = z.enum(ROLES);

export const displayName = plainText(displayNameText);
