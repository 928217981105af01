// Local only: the local gateway issues a token for its demo user. Imported only under `if (LOCAL)`, so the deployed
// build leaves this module out (web/test/deployed-build.test.js proves it).
export async function demoToken() {
  const response = await fetch('/_local/token', { method: 'POST' });
  if (!response.ok) throw new Error(`the local stack gave no token (${response.status})`);
  return (await response.json()).token;
}

/** The button's label, kept here so that the deployed build has no trace of the local sign-in. */
export const DEMO_LABEL = { en: 'Sign in as demo user', 'zh-CN': '以演示用户登录' };
