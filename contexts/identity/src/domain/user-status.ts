/** Whether a user is in good standing. A suspended user keeps their data but cannot log in. */
export const USER_STATUSES = ['active', 'suspended'] as const;

export type UserStatus = (typeof USER_STATUSES)[number];
