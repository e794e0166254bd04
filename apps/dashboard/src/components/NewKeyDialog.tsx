import { useRef, useState } from 'react';
import type { IssuedKey } from '../api/admin-types';
import { Modal } from './Modal';

/**
 * The new key, shown this once: the gateway keeps only its hash. Closing the dialog drops
 * it from the page.
 */
export function NewKeyDialog({ issued, onClose }: { issued: IssuedKey; onClose: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string>();

  async function copy() {
    try {
      await navigator.clipboard.writeText(issued.key);
      setCopied('Copied.');
    } catch {
      // No clipboard API (plain http on another host): select it for Ctrl+C instead.
      field.current?.select();
      setCopied('Selected: press Ctrl+C (⌘C) to copy.');
    }
  }

  return (
    <Modal title="Key issued: copy it now" testId="new-key-dialog">
      <p>
        For <strong>{issued.userId}</strong>
        {issued.name ? ` (${issued.name})` : ''}. This is the only time the key is shown; the gateway stores
        just its hash.
      </p>
      <div className="copy-row">
        <input
          ref={field}
          readOnly
          value={issued.key}
          className="mono"
          aria-label="The new key"
          onFocus={(e) => e.target.select()}
          data-testid="new-key-value"
        />
        <button type="button" className="button button-primary" onClick={copy} data-testid="copy-key">
          Copy
        </button>
      </div>
      <p className="muted" aria-live="polite" data-testid="copy-status">
        {copied ?? ' '}
      </p>
      <div className="modal-actions">
        <button type="button" className="button" onClick={onClose} data-testid="close-new-key">
          I have copied it
        </button>
      </div>
    </Modal>
  );
}
