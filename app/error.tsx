"use client";

import { Button, ButtonLink, Card } from "@/components/ui";

/**
 * Any page that fails while rendering lands here, inside the layout. Server errors reach the
 * browser as a generic message and a `digest` that matches the server log entry; the message is
 * not shown (it may hold details meant for the log only), the digest is, for a support request.
 */
export default function ErrorPage({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <div className="mx-auto max-w-md">
      <title>Something went wrong · Next.js Passkeys</title>
      <Card titleAs="h1" title="Something went wrong" description="This page couldn't be shown. It's not you: try again in a moment.">
        <div className="flex flex-wrap gap-3">
          <Button onClick={() => retry()}>Try again</Button>
          <ButtonLink href="/" variant="secondary">
            Go to the home page
          </ButtonLink>
        </div>
        {error.digest ? <p className="text-xs text-fg-muted">Error reference: {error.digest}</p> : null}
      </Card>
    </div>
  );
}
