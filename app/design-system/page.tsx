import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Alert, Badge, Button, ButtonLink, Card, Field, RelativeTime, Spinner } from "@/components/ui";
import { DialogDemos, NoticeDemo } from "./demos";

export const metadata: Metadata = { title: "Design system" };

/**
 * Every component of components/ui in one page, to see them in light and dark and to test them in
 * a browser (e2e/ui.spec.ts). Off unless the server runs with UI_GALLERY=1 (`UI_GALLERY=1 npm run
 * dev`), so a product built on this starter does not publish it.
 */
export default async function DesignSystemPage() {
  await connection(); // decide per request, not at build time
  if (process.env.UI_GALLERY !== "1") notFound();
  // A server component rendered per request (connection() above), so the clock is read once per
  // request, which is what the React Compiler's purity rule guards against in client renders.
  // eslint-disable-next-line react-hooks/purity -- see above
  const now = Date.now();
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-bold tracking-tight">Design system</h1>

      <Card title="Buttons" description="Variants, sizes, loading and links.">
        <div className="flex flex-wrap items-center gap-3">
          <Button>Primary</Button>
          <Button variant="secondary">Secondary</Button>
          <Button variant="danger">Danger</Button>
          <Button variant="ghost">Ghost</Button>
          <Button loading>Saving…</Button>
          <Button disabled>Disabled</Button>
          <ButtonLink href="/" variant="secondary" size="sm">
            A link
          </ButtonLink>
          <Button size="lg">Large</Button>
          <Spinner label="Loading" />
        </div>
      </Card>

      <Card title="Fields">
        <form noValidate className="space-y-4">
          <Field label="Email" name="email" type="email" hint="We never share it." />
          <Field label="Name" name="name" error="Use 64 characters or fewer." defaultValue="Ada" />
        </form>
      </Card>

      <Card title="Alerts and badges">
        <Alert tone="error" title="Your passkey couldn't be verified" action={<Button size="sm" variant="secondary">Try again</Button>}>
          Try again. If it keeps failing, use another passkey or device.
        </Alert>
        <Alert tone="warning" title="This device only">This passkey is not synced; keep another one.</Alert>
        <Alert tone="info">Sign in to continue.</Alert>
        <Alert tone="success">Passkey added.</Alert>
        <div className="flex flex-wrap gap-2">
          <Badge>Neutral</Badge>
          <Badge tone="info">Info</Badge>
          <Badge tone="success">Synced</Badge>
          <Badge tone="warning">This device only</Badge>
          <Badge tone="error">Revoked</Badge>
        </div>
      </Card>

      <Card title="Times" description="Server: a fixed UTC date; after mount: relative, in the person's time zone.">
        <ul className="space-y-1 text-sm" data-testid="times">
          <li>
            Created <RelativeTime date={new Date(now - 2 * 24 * 3600 * 1000)} />
          </li>
          <li>
            Last used <RelativeTime date={new Date(now - 5 * 60 * 1000).toISOString()} />
          </li>
        </ul>
      </Card>

      <Card title="Dialogs and notices">
        <div className="flex flex-wrap gap-3">
          <DialogDemos />
          <NoticeDemo />
        </div>
      </Card>
    </div>
  );
}
