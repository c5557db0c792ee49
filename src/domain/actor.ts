// Who did something: a person in Slack, or a trusted system of record calling the HTTP API.
// Permission rules read the kind; the history stores `actorIdOf(actor)`.

export type Actor =
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'api'; readonly name: string };

export const userActor = (userId: string): Actor => ({ kind: 'user', userId });

/** The history's actor id: the Slack user id, or 'api' / 'api:<name>' for a system of record. */
export function actorIdOf(actor: Actor): string {
  if (actor.kind === 'user') return actor.userId;
  return actor.name && actor.name !== 'api' ? `api:${actor.name}` : 'api';
}
