#!/usr/bin/env bash
# Uploads the web app to a deployed stack (docs/web.md), after `sam deploy`:
#   scripts/deploy-web.sh STACK_NAME
# Builds web/ (the deployed build: Cognito sign-in, no local code), writes its config.json from the stack's outputs
# (the API's URL, the hosted UI's host, the app client), uploads it to the site bucket and refreshes CloudFront's copy
# of the two files that are not content-hashed.
set -euo pipefail
stack=${1:?usage: scripts/deploy-web.sh STACK_NAME}
cd "$(dirname "${BASH_SOURCE[0]}")/.."

output() {
  aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
api=$(output ApiUrl)
bucket=$(output WebBucketName)
distribution=$(output WebDistributionId)
client=$(output UserPoolClientId)
domain=$(output AuthDomain)
if [ -z "$client" ] || [ "$client" = None ]; then
  echo "$stack has no Cognito app client (it was deployed with JwtIssuer): the web app signs in through Cognito only" >&2
  exit 1
fi

(cd web && npm ci --no-audit --no-fund --loglevel=error && node build.mjs)
site=web/dist/deployed
printf '{"apiUrl":"%s","cognito":{"domain":"%s","clientId":"%s"}}\n' "$api" "$domain" "$client" >"$site/config.json"

# Assets first (named by content, cached for a year), then the page and its config (never cached stale).
aws s3 sync "$site/assets" "s3://$bucket/assets" --cache-control 'public, max-age=31536000, immutable'
aws s3 cp "$site/config.json" "s3://$bucket/config.json" --cache-control no-cache --content-type application/json
aws s3 cp "$site/index.html" "s3://$bucket/index.html" --cache-control no-cache --content-type 'text/html; charset=utf-8'
aws cloudfront create-invalidation --distribution-id "$distribution" --paths /index.html /config.json >/dev/null
echo "the web app: $(output WebUrl)"
