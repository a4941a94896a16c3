#!/bin/sh
# azd postdeploy hook (posix): wire blob uploads to the app after every `azd up` / `azd deploy`.
#
# The Event Grid subscriptions call the blob extension webhook with the host's blobs_extension system key, which
# the Functions host creates only once the deployed code (with its Event Grid blob triggers) has started. So this
# hook waits for that key, then deploys modules/eventgrid-subscriptions.bicep with eventgrid-subscriptions.bicepparam
# (create or update, idempotent). The key itself is read inside the deployment (listKeys), never printed here.
# azd passes the environment's values (main.bicep outputs) as environment variables.
# Set WILDLONG_EVENTGRID_SUBSCRIPTIONS=false (azd env set) to leave the subscriptions alone.
set -eu

if [ "${WILDLONG_EVENTGRID_SUBSCRIPTIONS:-true}" = "false" ]; then
  echo "WildLong: WILDLONG_EVENTGRID_SUBSCRIPTIONS is false; Event Grid subscriptions left as they are."
  exit 0
fi

if ! command -v az >/dev/null 2>&1; then
  echo "WildLong: the Azure CLI (az) is needed to create the Event Grid subscriptions. Install it, run 'az login', then 'azd hooks run postdeploy'." >&2
  exit 1
fi

for name in AZURE_SUBSCRIPTION_ID AZURE_RESOURCE_GROUP AZURE_FUNCTION_APP_NAME AZURE_STORAGE_ACCOUNT_NAME \
  WILDLONG_EVENTGRID_TOPIC_NAME WILDLONG_EVENTGRID_DEADLETTER_CONTAINER; do
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then
    echo "WildLong: $name is not set in the azd environment; run 'azd provision' first." >&2
    exit 1
  fi
done

infra_dir=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
attempts=${WILDLONG_HOOK_KEY_ATTEMPTS:-30}

# The key appears when the host has started with the new code; listing keys also wakes a scaled-to-zero app.
attempt=1
while :; do
  present=$(az functionapp keys list --subscription "$AZURE_SUBSCRIPTION_ID" -g "$AZURE_RESOURCE_GROUP" \
    -n "$AZURE_FUNCTION_APP_NAME" --query 'systemKeys.blobs_extension != `null`' -o tsv 2>/dev/null || echo false)
  if [ "$present" = "true" ]; then
    break
  fi
  if [ "$attempt" -ge "$attempts" ]; then
    echo "WildLong: $AZURE_FUNCTION_APP_NAME has no blobs_extension key after $attempts checks; is the app running? Retry with 'azd hooks run postdeploy'." >&2
    exit 1
  fi
  echo "WildLong: waiting for the function host's blobs_extension key ($attempt/$attempts)..."
  attempt=$((attempt + 1))
  sleep 10
done

echo "WildLong: creating or updating the Event Grid subscriptions (queries, documents -> $AZURE_FUNCTION_APP_NAME)..."
az deployment group create --subscription "$AZURE_SUBSCRIPTION_ID" -g "$AZURE_RESOURCE_GROUP" \
  --name wildlong-eventgrid-subscriptions \
  --template-file "$infra_dir/modules/eventgrid-subscriptions.bicep" \
  --parameters "$infra_dir/eventgrid-subscriptions.bicepparam" \
  --output none
echo "WildLong: blob uploads to 'queries' and 'documents' now start extraction; undeliverable events go to '$WILDLONG_EVENTGRID_DEADLETTER_CONTAINER'."
