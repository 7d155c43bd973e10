// The people the browser tests sign in as (created by e2e/auth.setup.ts through the setup screen and /users).
export const PASSWORD = "e2e password 0123456789";
export const USERS = {
  admin: "admin@e2e.test",
  editor: "editor@e2e.test",
  viewer: "viewer@e2e.test",
  /** Signs out everywhere and changes its password: nobody else's session depends on it. */
  mover: "mover@e2e.test",
} as const;
export const STATE = {
  admin: "e2e/.auth/admin.json",
  editor: "e2e/.auth/editor.json",
  viewer: "e2e/.auth/viewer.json",
} as const;
