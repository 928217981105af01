// Sign-in. Deployed: Cognito's hosted UI, authorization code with PKCE (S256), settings from /config.json written at
// deploy (scripts/deploy-web.sh). Locally (the LOCAL build only): "sign in as demo user" (auth-local.js).
import { demoToken } from './auth-local.js';

const TOKEN = 'tally.token';
const PKCE = 'tally.pkce';

export function token() {
  const stored = JSON.parse(sessionStorage.getItem(TOKEN) ?? 'null');
  return stored && stored.expiresAt > Date.now() ? stored.token : null;
}

function keep(value, seconds) {
  sessionStorage.setItem(TOKEN, JSON.stringify({ token: value, expiresAt: Date.now() + (seconds - 30) * 1000 }));
}

/** Signs in; true when the token is there now, false when the browser is on its way to the hosted UI. */
export async function signIn(config) {
  if (LOCAL) {
    keep(await demoToken(), 12 * 3600);
    return true;
  }
  const verifier = randomText(48);
  const state = randomText(16);
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state }));
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const url = new URL(`https://${config.cognito.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: config.cognito.clientId, redirect_uri: redirectUri(),
    scope: 'openid email profile', code_challenge_method: 'S256', code_challenge: challenge, state,
  });
  location.assign(url);
  return false;
}

/** On return from the hosted UI (?code&state): trades the code for tokens and cleans the address. */
export async function completeSignIn(config) {
  const params = new URLSearchParams(location.search);
  if (LOCAL || !params.has('code')) return;
  const pending = JSON.parse(sessionStorage.getItem(PKCE) ?? 'null');
  sessionStorage.removeItem(PKCE);
  history.replaceState(null, '', location.pathname + location.hash);
  if (!pending || pending.state !== params.get('state')) throw new Error('sign-in state mismatch');
  const response = await fetch(`https://${config.cognito.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', client_id: config.cognito.clientId, code: params.get('code'),
      redirect_uri: redirectUri(), code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`sign-in failed (${response.status})`);
  const tokens = await response.json();
  // The access token: the API's authorizer checks its client_id against the app client.
  keep(tokens.access_token, tokens.expires_in);
}

export function signOut(config) {
  sessionStorage.removeItem(TOKEN);
  if (LOCAL) {
    location.reload();
    return;
  }
  const url = new URL(`https://${config.cognito.domain}/logout`);
  url.search = new URLSearchParams({ client_id: config.cognito.clientId, logout_uri: redirectUri() });
  location.assign(url);
}

function redirectUri() {
  return `${location.origin}/`;
}

function randomText(bytes) {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
