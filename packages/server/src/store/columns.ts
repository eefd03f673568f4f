import type { OwnerColumns } from './schema.js';

/** The SaaS product's user a session or connection belongs to. */
export interface EndUser {
  readonly id: string;
  readonly email: string | null;
  readonly displayName: string | null;
}

/** The SaaS product's customer organization, when the integrator passes one. */
export interface Organization {
  readonly id: string;
  readonly displayName: string | null;
}

/** Who a session or connection is for. */
export interface Owner {
  readonly integrationId: string;
  readonly endUser: EndUser;
  readonly organization: Organization | null;
}

/** The owner columns of a session or connection row. */
export function ownerColumns(owner: Owner): OwnerColumns {
  return {
    integration_id: owner.integrationId,
    end_user_id: owner.endUser.id,
    end_user_email: owner.endUser.email,
    end_user_display_name: owner.endUser.displayName,
    organization_id: owner.organization?.id ?? null,
    organization_display_name: owner.organization?.displayName ?? null,
  };
}

export function ownerOf(row: OwnerColumns): Owner {
  return {
    integrationId: row.integration_id,
    endUser: {
      id: row.end_user_id,
      email: row.end_user_email,
      displayName: row.end_user_display_name,
    },
    organization:
      row.organization_id === null
        ? null
        : { id: row.organization_id, displayName: row.organization_display_name },
  };
}

export const joinScopes = (scopes: readonly string[]) => scopes.join(' ');
export const splitScopes = (scopes: string) => scopes.split(' ').filter(Boolean);

// PostgreSQL hands bigint back as a string unless told otherwise; Number() covers both.
export const time = (value: number | null) => (value === null ? null : Number(value));
