# azd postdeploy hook (Windows, PowerShell 7): wire blob uploads to the app after every `azd up` / `azd deploy`.
#
# The Event Grid subscriptions call the blob extension webhook with the host's blobs_extension system key, which
# the Functions host creates only once the deployed code (with its Event Grid blob triggers) has started. So this
# hook waits for that key, then deploys modules/eventgrid-subscriptions.bicep with eventgrid-subscriptions.bicepparam
# (create or update, idempotent). The key itself is read inside the deployment (listKeys), never printed here.
# azd passes the environment's values (main.bicep outputs) as environment variables.
# Set WILDLONG_EVENTGRID_SUBSCRIPTIONS=false (azd env set) to leave the subscriptions alone.
$ErrorActionPreference = 'Stop'

if ($env:WILDLONG_EVENTGRID_SUBSCRIPTIONS -eq 'false') {
    Write-Host "WildLong: WILDLONG_EVENTGRID_SUBSCRIPTIONS is false; Event Grid subscriptions left as they are."
    exit 0
}

if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
    Write-Error "WildLong: the Azure CLI (az) is needed to create the Event Grid subscriptions. Install it, run 'az login', then 'azd hooks run postdeploy'."
    exit 1
}

foreach ($name in 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'AZURE_STORAGE_ACCOUNT_NAME',
    'WILDLONG_EVENTGRID_TOPIC_NAME', 'WILDLONG_EVENTGRID_DEADLETTER_CONTAINER') {
    if ([string]::IsNullOrEmpty([Environment]::GetEnvironmentVariable($name))) {
        Write-Error "WildLong: $name is not set in the azd environment; run 'azd provision' first."
        exit 1
    }
}

$infraDir = Split-Path -Parent $PSScriptRoot
$attempts = if ($env:WILDLONG_HOOK_KEY_ATTEMPTS) { [int]$env:WILDLONG_HOOK_KEY_ATTEMPTS } else { 30 }

# The key appears when the host has started with the new code; listing keys also wakes a scaled-to-zero app.
for ($attempt = 1; ; $attempt++) {
    $present = az functionapp keys list --subscription $env:AZURE_SUBSCRIPTION_ID -g $env:AZURE_RESOURCE_GROUP `
        -n $env:AZURE_FUNCTION_APP_NAME --query 'systemKeys.blobs_extension != `null`' -o tsv 2>$null
    if ($LASTEXITCODE -eq 0 -and $present -eq 'true') {
        break
    }
    if ($attempt -ge $attempts) {
        Write-Error "WildLong: $($env:AZURE_FUNCTION_APP_NAME) has no blobs_extension key after $attempts checks; is the app running? Retry with 'azd hooks run postdeploy'."
        exit 1
    }
    Write-Host "WildLong: waiting for the function host's blobs_extension key ($attempt/$attempts)..."
    Start-Sleep -Seconds 10
}

Write-Host "WildLong: creating or updating the Event Grid subscriptions (queries, documents -> $($env:AZURE_FUNCTION_APP_NAME))..."
az deployment group create --subscription $env:AZURE_SUBSCRIPTION_ID -g $env:AZURE_RESOURCE_GROUP `
    --name wildlong-eventgrid-subscriptions `
    --template-file (Join-Path $infraDir 'modules/eventgrid-subscriptions.bicep') `
    --parameters (Join-Path $infraDir 'eventgrid-subscriptions.bicepparam') `
    --output none
if ($LASTEXITCODE -ne 0) {
    exit $LASTEXITCODE
}
Write-Host "WildLong: blob uploads to 'queries' and 'documents' now start extraction; undeliverable events go to '$($env:WILDLONG_EVENTGRID_DEADLETTER_CONTAINER)'."
