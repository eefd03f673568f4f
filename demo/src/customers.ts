/**
 * The sample SaaS's customers: each is a tenant with its own PingOne, onboarded at run time
 * (DESIGN §4.8). The slug is the customer's organization id in sessions and, unless the
 * operator configured one for it, its integration id.
 */
export const CUSTOMER_IDS = ['acme', 'globex'] as const;
export type CustomerId = (typeof CUSTOMER_IDS)[number];

export interface Customer {
  id: CustomerId;
  displayName: string;
  /** The customer's admin signed in to the sample app. A real app takes this from its session. */
  endUser: { id: string; email: string; displayName: string };
}

export const CUSTOMERS: Readonly<Record<CustomerId, Customer>> = {
  acme: {
    id: 'acme',
    displayName: 'Acme',
    endUser: { id: 'acme-user-42', email: 'ada@acme.example', displayName: 'Ada Lovelace' },
  },
  globex: {
    id: 'globex',
    displayName: 'Globex',
    endUser: { id: 'globex-user-7', email: 'hank@globex.example', displayName: 'Hank Scorpio' },
  },
};

export const isCustomerId = (value: string): value is CustomerId =>
  (CUSTOMER_IDS as readonly string[]).includes(value);
