// Where a request's parent and sign-off messages are in Slack: written by delivery once a post
// has landed, read by updates, thread replies and links.
import { eq, sql } from 'drizzle-orm';
import type { MessageLocations, SlackLocation } from '../services/ports.js';
import type { Db } from './create-db.js';
import { requests, signOffs } from './schema.js';

export function createMessageLocations(db: Db): MessageLocations {
  const id = sql.placeholder('id');
  // Read on every delivery: prepared once (bench/).
  const reads = {
    parentLocation: db
      .select({ channelId: requests.channelId, messageTs: requests.messageTs })
      .from(requests)
      .where(eq(requests.id, id))
      .prepare(),
    signOffMessageTs: db
      .select({ ts: signOffs.messageTs })
      .from(signOffs)
      .where(eq(signOffs.id, id))
      .prepare(),
  };
  return {
    parentLocation(requestId: number): SlackLocation | null {
      const row = reads.parentLocation.get({ id: requestId });
      return row?.channelId && row.messageTs ? { channelId: row.channelId, messageTs: row.messageTs } : null;
    },

    signOffMessageTs(signOffId: number): string | null {
      return reads.signOffMessageTs.get({ id: signOffId })?.ts ?? null;
    },

    setParentLocation(requestId: number, location: SlackLocation): void {
      db.update(requests)
        .set({ channelId: location.channelId, messageTs: location.messageTs })
        .where(eq(requests.id, requestId))
        .run();
    },

    setSignOffMessageTs(signOffId: number, ts: string): void {
      db.update(signOffs).set({ messageTs: ts }).where(eq(signOffs.id, signOffId)).run();
    },
  };
}
