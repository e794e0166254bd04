/** Shown while the range has no calls: how to make the first one (no key in the text). */
export function FirstCallHelp() {
  const origin = window.location.origin;
  return (
    <section className="panel first-call" data-testid="first-call-help">
      <h2>No calls in this range yet</h2>
      <p>
        Issue a key in <a href="#keys">Keys</a>, then call any model through the gateway, for example the demo
        model:
      </p>
      <pre>
        <code>{`curl ${origin}/v1/chat/completions \\
  -H "authorization: Bearer $KEY" -H 'content-type: application/json' \\
  -d '{"model":"demo/demo-chat","messages":[{"role":"user","content":"Hello"}]}'`}</code>
      </pre>
      <p className="muted">Then press Refresh: the call, its tokens and its cost show here.</p>
    </section>
  );
}
