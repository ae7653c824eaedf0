"use server";

import { redirect } from "next/navigation";
import { endSession } from "@/lib/session";

/** Revokes the session row and clears the cookie. Safe to call signed out: it only clears. */
export async function signOut(): Promise<void> {
  await endSession();
  redirect("/login");
}
