// Where the API is and how to sign in. Locally the gateway serves the app and the API on one origin; deployed, the
// site's /config.json (written at deploy by scripts/deploy-web.sh) names the API URL and the Cognito app client.
export async function loadConfig() {
  if (LOCAL) return { apiUrl: location.origin };
  const response = await fetch('/config.json', { cache: 'no-cache' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  return response.json();
}
