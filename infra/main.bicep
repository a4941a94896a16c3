// WildLong on Azure: the durable pipeline as a Flex Consumption function app, its storage, Azure OpenAI and
// monitoring, all reached through one user-assigned managed identity (no keys in settings).
// Deployed by `azd up` (see README.md in this folder); validated offline by tests/Infra.Tests (bicep build + lint).
targetScope = 'subscription'

// ---------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Azure region of every resource. Must offer Flex Consumption (and the model deployment unless existingOpenAiEndpoint is set).')
param location string

@description('Resource group name; empty uses rg-<environmentName>.')
param resourceGroupName string = ''

@description('Object id of the deploying user (azd sets AZURE_PRINCIPAL_ID); gets blob upload and model access for local runs. Empty grants nothing.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
@description('Kind of principal behind principalId.')
param principalType string = 'User'

// Function app ---------------------------------------------------------------------------------------------------

@minValue(0)
@maxValue(20)
@description('Always-ready instances for the Durable Functions group ("durable"); 0 scales to zero (cheapest, cold starts).')
param alwaysReadyInstanceCount int = 0

@minValue(1)
@maxValue(1000)
@description('Upper bound on Flex Consumption instances; also bounds the pressure on the model quota and storage.')
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
@description('Memory per Flex Consumption instance in MB; long documents and graph merges want 2048 or more.')
param instanceMemoryMB int = 2048

@minLength(3)
@maxLength(45)
@description('Durable Task hub name (letters and digits, starting with a letter); host.json reads it as %WildLongTaskHub%.')
param taskHubName string = 'WildLong'

@description('NCRONTAB (six fields, UTC) of the scheduled regeneration; the app reads WildLongRegenerationSchedule.')
param regenerationSchedule string = '0 0 3 * * 1'

@description('Put Entra ID sign-in (App Service authentication, authsettingsV2) in front of the app. Needs authClientId.')
param enableAppServiceAuth bool = false

@description('Application (client) id of the Entra ID app registration used when enableAppServiceAuth is true.')
param authClientId string = ''

// Azure OpenAI ---------------------------------------------------------------------------------------------------

@description('Endpoint of an Azure OpenAI resource to use instead of creating one (https://NAME.openai.azure.com/). Empty creates one. Grant the app identity "Cognitive Services OpenAI User" on it yourself.')
param existingOpenAiEndpoint string = ''

@description('Model deployment name the app calls (WildLong__Model__Deployment); with existingOpenAiEndpoint it must already exist there.')
param openAiDeploymentName string = 'gpt-4o-mini'

@description('Model to deploy.')
param openAiModelName string = 'gpt-4o-mini'

@description('Model version to deploy.')
param openAiModelVersion string = '2024-07-18'

@minValue(1)
@description('Deployment capacity in units of 1,000 tokens per minute (GlobalStandard). The app is told TPM = capacity x 1000 and RPM = capacity x 6.')
param openAiDeploymentCapacity int = 200

@description('Tags added to every resource.')
param tags {
  *: string
} = {}

// ---------------------------------------------------------------------------------------------------------------
// Names: every resource, container, table and function name the deployment depends on lives here.
// ---------------------------------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName })

var names = {
  resourceGroup: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  identity: 'id-wildlong-${resourceToken}'
  logAnalytics: 'log-wildlong-${resourceToken}'
  appInsights: 'appi-wildlong-${resourceToken}'
  storage: 'stwl${resourceToken}'
  openAi: 'oai-wildlong-${resourceToken}'
  plan: 'plan-wildlong-${resourceToken}'
  functionApp: 'func-wildlong-${resourceToken}'
  eventGridTopic: 'evgt-wildlong-${resourceToken}'
}

// Defaults of WildLong.Storage.StorageContainerNames / StorageTableNames; the app uses those defaults, so these
// must stay equal to them (tests/Infra.Tests checks it).
var storageNames = {
  containers: {
    queries: 'queries'
    documents: 'documents'
    metaInfo: 'metainfo'
    datasets: 'datasets'
    quarantine: 'quarantine'
    llmCache: 'llm-cache'
  }
  tables: {
    runs: 'WildLongRuns'
    usage: 'WildLongUsage'
    batchJobs: 'WildLongBatchJobs'
    graph: 'WildLongGraph'
    graphShards: 'WildLongGraphShards'
    documents: 'WildLongDocuments'
    quotaShares: 'WildLongQuotaShares'
  }
  deploymentContainer: 'app-package-${resourceToken}'
  // Events Event Grid could not deliver to the blob triggers (written by the system topic's identity).
  eventGridDeadLetterContainer: 'eventgrid-deadletter'
}

// ---------------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: allTags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    tags: allTags
    identityPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: allTags
    containerNames: concat(map(items(storageNames.containers), c => c.value), [
      storageNames.deploymentContainer
      storageNames.eventGridDeadLetterContainer
    ])
    tableNames: map(items(storageNames.tables), t => t.value)
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module openAi 'modules/openai.bicep' = if (empty(existingOpenAiEndpoint)) {
  name: 'openai'
  scope: rg
  params: {
    name: names.openAi
    location: location
    tags: allTags
    deploymentName: openAiDeploymentName
    modelName: openAiModelName
    modelVersion: openAiModelVersion
    capacity: openAiDeploymentCapacity
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

var openAiEndpoint = empty(existingOpenAiEndpoint) ? openAi!.outputs.endpoint : existingOpenAiEndpoint

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    planName: names.plan
    appName: names.functionApp
    location: location
    tags: allTags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobServiceUri: storage.outputs.blobEndpoint
    tableServiceUri: storage.outputs.tableEndpoint
    deploymentContainerName: storageNames.deploymentContainer
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    alwaysReadyInstanceCount: alwaysReadyInstanceCount
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    openAiEndpoint: openAiEndpoint
    openAiDeploymentName: openAiDeploymentName
    modelTpm: openAiDeploymentCapacity * 1000
    modelRpm: openAiDeploymentCapacity * 6
    taskHubName: taskHubName
    regenerationSchedule: regenerationSchedule
    enableAppServiceAuth: enableAppServiceAuth
    authClientId: authClientId
  }
}

module eventGridTopic 'modules/eventgrid-topic.bicep' = {
  name: 'eventgrid-topic'
  scope: rg
  params: {
    name: names.eventGridTopic
    location: location
    tags: allTags
    storageAccountName: storage.outputs.name
    deadLetterContainerName: storageNames.eventGridDeadLetterContainer
  }
}

// The Event Grid subscriptions (modules/eventgrid-subscriptions.bicep) are not deployed here: they need the
// blobs_extension key of the deployed code, so the azd postdeploy hook (infra/hooks/) deploys them after the code.

// ---------------------------------------------------------------------------------------------------------------
// Outputs (azd stores them in the environment's .env)
// ---------------------------------------------------------------------------------------------------------------

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.url
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_OPENAI_ENDPOINT string = openAiEndpoint
output AZURE_OPENAI_DEPLOYMENT string = openAiDeploymentName
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_APPLICATION_INSIGHTS_NAME string = monitoring.outputs.appInsightsName
output WILDLONG_TASK_HUB string = taskHubName
// Read by the postdeploy hook through infra/eventgrid-subscriptions.bicepparam.
output WILDLONG_EVENTGRID_TOPIC_NAME string = eventGridTopic.outputs.name
output WILDLONG_EVENTGRID_DEADLETTER_CONTAINER string = storageNames.eventGridDeadLetterContainer
