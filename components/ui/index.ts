/**
 * The design system: every page builds on these, so the app looks and behaves as one product.
 * Colours come from the tokens in app/globals.css (light and dark); the focus ring is global.
 * Files with "use client" (Dialog, Notice, RelativeTime, UserMenu) can still be rendered from
 * server components; call flashNotice only from client code.
 */
export { Alert, type AlertProps, type AlertTone } from "./alert";
export { Badge, type BadgeTone } from "./badge";
export { Button, ButtonLink, type ButtonProps } from "./button";
export { buttonClasses, type ButtonSize, type ButtonStyle, type ButtonVariant } from "./button-styles";
export { Card, type CardProps } from "./card";
export { ConfirmDialog, type ConfirmDialogProps } from "./confirm-dialog";
export { cx } from "./cx";
export { Dialog, type DialogProps } from "./dialog";
export { ErrorAlert } from "./error-alert";
export { Field, Input, type FieldProps } from "./field";
export { NoticeRegion, clearNotice, flashNotice } from "./notice";
export { RelativeTime, relativeTime } from "./relative-time";
export { Spinner } from "./spinner";
export { UserMenu, type UserMenuProps } from "./user-menu";
