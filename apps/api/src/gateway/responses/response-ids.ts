import { randomBytes } from 'node:crypto';

/** A new Responses API response id: `resp_` and 32 hex digits. */
export function newResponseId(): string {
  return `resp_${randomBytes(16).toString('hex')}`;
}

/** A new id for an output or input item: `msg_`, `fc_`, `rs_` or `item_`, and 32 hex digits. */
export function newItemId(prefix: 'msg' | 'fc' | 'rs' | 'item'): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}
