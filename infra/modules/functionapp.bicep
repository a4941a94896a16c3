// The function app hosting WildLong's durable orchestrations (src/Functions, .NET 10 isolated worker) on the
// Flex Consumption plan. Every connection uses the user-assigned identity; the app settings below are the exact
// names the code binds (WildLong__Section__Key -> options classes; tests/Infra.Tests checks them by reflection).

@description('Flex Consumption plan name.')
param planName string

@description('Function app name (also its host name <name>.azurewebsites.net).')
param appName string

@description('Region.')
param location string

@description('Resource tags (the app also gets azd-service-name).')
param tags {
  *: string
}

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Storage account holding AzureWebJobsStorage, the task hub, pipeline data and the deployment package.')
param storageAccountName string

@description('Blob service endpoint of that account.')
param blobServiceUri string

@description('Table service endpoint of that account.')
param tableServiceUri string

@description('Blob container the Flex Consumption deployment package is uploaded to.')
param deploymentContainerName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@minValue(0)
@description('Always-ready instances for the "durable" group; 0 adds none.')
param alwaysReadyInstanceCount int

@minValue(1)
@maxValue(1000)
@description('Maximum instance count.')
param maximumInstanceCount int

@allowed([
  512
  2048
  4096
])
@description('Memory per instance in MB.')
param instanceMemoryMB int

@description('Azure OpenAI endpoint the app calls.')
param openAiEndpoint string

@description('Model deployment name.')
param openAiDeploymentName string

@minValue(1)
@description('Tokens per minute the app may use (deployment capacity x 1000).')
param modelTpm int

@minValue(1)
@description('Requests per minute the app may use (deployment capacity x 6).')
param modelRpm int

@description('Durable Task hub name.')
param taskHubName string

@description('NCRONTAB of the scheduled regeneration.')
param regenerationSchedule string

@description('Require Entra ID sign-in (authsettingsV2).')
param enableAppServiceAuth bool

@description('Entra ID app registration client id for enableAppServiceAuth.')
param authClientId string

// Sign-in without an app registration would lock everyone out; fail the deployment with the reason instead.
var signInClientId = enableAppServiceAuth && empty(authClientId)
  ? fail('enableAppServiceAuth is true but authClientId is empty: set WILDLONG_AUTH_CLIENT_ID to an Entra ID app registration client id.')
  : authClientId

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Host storage (triggers, leases, Durable Task hub) through the identity.
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccountName
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        // DefaultAzureCredential in the worker picks the user-assigned identity.
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        // WildLong.Storage.StorageOptions
        {
          name: 'WildLong__Storage__BlobServiceUri'
          value: blobServiceUri
        }
        {
          name: 'WildLong__Storage__TableServiceUri'
          value: tableServiceUri
        }
        {
          name: 'WildLong__Storage__ManagedIdentityClientId'
          value: identityClientId
        }
        // WildLong.Llm.ModelOptions
        {
          // WildLong.Llm.ModelProviders.AzureOpenAI (a literal so tests/Infra.Tests can check it).
          name: 'WildLong__Model__Provider'
          value: 'azure-openai'
        }
        {
          name: 'WildLong__Model__Endpoint'
          value: openAiEndpoint
        }
        {
          name: 'WildLong__Model__Deployment'
          value: openAiDeploymentName
        }
        {
          name: 'WildLong__Model__UseManagedIdentity'
          value: 'true'
        }
        {
          name: 'WildLong__Model__ManagedIdentityClientId'
          value: identityClientId
        }
        {
          name: 'WildLong__Model__Tpm'
          value: string(modelTpm)
        }
        {
          name: 'WildLong__Model__Rpm'
          value: string(modelRpm)
        }
        // Read by host.json (%WildLongTaskHub%) and the timer trigger (%WildLongRegenerationSchedule%).
        {
          name: 'WildLongTaskHub'
          value: taskHubName
        }
        {
          name: 'WildLongRegenerationSchedule'
          value: regenerationSchedule
        }
        // Telemetry; the host authenticates to Application Insights with the identity.
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobServiceUri}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        alwaysReady: alwaysReadyInstanceCount > 0
          ? [
              {
                name: 'durable'
                instanceCount: alwaysReadyInstanceCount
              }
            ]
          : []
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Entra ID sign-in in front of the app. Event Grid's blob webhook carries the system key and cannot sign in, so
// its path stays open (the key still protects it); HTTP functions keep their function keys on top of sign-in.
resource auth 'Microsoft.Web/sites/config@2025-03-01' = if (enableAppServiceAuth) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [
        '/runtime/webhooks/blobs'
      ]
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: signInClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${signInClientId}'
            signInClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

output name string = app.name
output id string = app.id
output url string = 'https://${app.properties.defaultHostName}'
output hostName string = app.properties.defaultHostName
