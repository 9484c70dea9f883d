//! Step Functions' view of the AWS services a Task calls: the optimized integrations with their
//! actions and integration patterns, the `aws-sdk:<service>` names with the botocore service id
//! each stands for, and the error names each kind of integration raises. Spec data only: no rule
//! reads another rule's table, and nothing here knows a botocore model (that is `asl-aws`'s);
//! the two meet through [`SdkService::botocore_id`] and [`operation_name`].
//!
//! # Sources
//! - Optimized integrations, their APIs and patterns: the developer guide's "Integrating
//!   optimized services with Step Functions" (integrate-optimized.html, the per-service table of
//!   patterns) and each service's page (connect-lambda, connect-ddb, connect-sns, connect-sqs,
//!   connect-ecs, connect-batch, connect-glue, connect-athena, connect-codebuild,
//!   connect-sagemaker, connect-emr, connect-emr-eks, connect-emr-serverless, connect-eks,
//!   connect-stepfunctions, connect-eventbridge, connect-api-gateway, connect-bedrock,
//!   connect-mediaconvert, connect-databrew, call-https-apis). Where the guide contradicts itself
//!   (the table says Amazon EKS supports `.waitForTaskToken`, the EKS page says it does not), the
//!   table here is permissive: a pattern is refused only when no page of the guide allows it.
//! - `aws-sdk` service names and their exception prefixes: the "Supported AWS SDK service
//!   integrations" table of "AWS SDK service integrations" (supported-services-awssdk.html, the
//!   last revision published in awsdocs/aws-step-functions-developer-guide, April 2022), with its
//!   "Unsupported API actions" and "Deprecated AWS SDK service integrations" sections. That table
//!   predates services added since (Amazon Bedrock, EventBridge Scheduler, EMR Serverless, ...):
//!   the list is **not exhaustive**, so a name missing from it is only suspect. Names used by
//!   published, deployed definitions of the corpus but absent from the 2022 table are listed
//!   with `documented: false`.
//! - The names follow the AWS SDK for Java 2.x service modules (`sfn`, `eventbridge`,
//!   `cloudwatchlogs`, `cognitoidentityprovider`, `databasemigration`, ...), which differ from
//!   botocore's ids by more than hyphens; [`SdkService::botocore_id`] is botocore's
//!   `data/<id>/` folder name.
//! - Actions: "The API action will always be camel case, and parameter names will be Pascal
//!   case" (same page): `aws-sdk:s3:getObject` calls botocore's `GetObject`.
//! - Error names: "the resulting Error field will be composed of the service name and the error
//!   name, separated by a period character: `ServiceName.ErrorName`. Both ... are in Pascal case"
//!   and "always add the Exception suffix to potential error names ... even if the suffix isn't
//!   already part of the error name" (`S3.BucketAlreadyExistsException`, `AcmPca.ResourceNotFoundException`).
//!   The prefix is the table's "Exception prefix" column, **not** the optimized integration's:
//!   the SDK integration of DynamoDB raises `DynamoDb.*`, the optimized one `DynamoDB.*`
//!   (connect-ddb.html names `DynamoDB.ConditionalCheckFailedException`). LocalStack, whose
//!   Step Functions tests are recorded against AWS, builds the same names: its aws-sdk task maps
//!   `dynamodb` to `DynamoDb` and `sfn` to `Sfn` and adds the `Exception` suffix
//!   (state_task_service_aws_sdk.py), and its optimized DynamoDB task raises
//!   `DynamoDB.<ErrorCode>` (state_task_service_dynamodb.py). In the corpus, 12 `ErrorEquals`
//!   entries name `DynamoDB.ConditionalCheckFailedException` on optimized `dynamodb:*` tasks; one
//!   sample
//!   (idempotent-workflow, in two copies) names `DynamoDb.*` throttling errors on its
//!   `aws-sdk:dynamodb:transactWriteItems` task, as the guide says, and also on its optimized
//!   `dynamodb:getItem`/`updateItem` tasks, which the guide and LocalStack contradict: those
//!   retriers likely never match (a case for ASL214 to weigh, as a warning).
//! - AWS rejects an optimized-integration ARN whose action the service does not offer:
//!   `arn:aws:states:::dynamodb:query` gets `SCHEMA_VALIDATION_FAILED: The resource provided ...
//!   is not recognized` (LocalStack snapshot test_dynamodb_task_service.py::test_invalid_integration).

/// The integration patterns an action supports beyond request/response, which every action of
/// every integration supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Patterns {
    /// `.sync`: wait for the job.
    pub sync: bool,
    /// `.sync:2`: wait, with the output as JSON (only `states:startExecution`).
    pub sync2: bool,
    /// `.waitForTaskToken`: wait for a callback.
    pub wait: bool,
}

impl Patterns {
    /// Both sets' patterns.
    pub const fn union(self, other: Patterns) -> Patterns {
        Patterns {
            sync: self.sync || other.sync,
            sync2: self.sync2 || other.sync2,
            wait: self.wait || other.wait,
        }
    }
}

const RR: Patterns = Patterns {
    sync: false,
    sync2: false,
    wait: false,
};
const SYNC: Patterns = Patterns {
    sync: true,
    sync2: false,
    wait: false,
};
const WAIT: Patterns = Patterns {
    sync: false,
    sync2: false,
    wait: true,
};
const SYNC_WAIT: Patterns = Patterns {
    sync: true,
    sync2: false,
    wait: true,
};

/// One API of an optimized integration (`putItem` of `dynamodb`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptimizedAction {
    /// As written in the ARN (`putItem`).
    pub name: &'static str,
    pub patterns: Patterns,
    /// Its `Parameters`/`Arguments` are the input of the service API of the same name (the
    /// service's `sdk_service` model, operation [`operation_name`] of `name`), by the names of
    /// that API's request: the guide's page lists the API's request syntax as the parameters
    /// (DynamoDB's `GetItem`, SNS's `Publish`, SQS's `SendMessage`, ...). `false` where Step
    /// Functions defines parameters of its own (EMR's `addStep` takes `ClusterId` and `Step`
    /// where the API takes `JobFlowId` and `Steps`; API Gateway's `invoke`, Bedrock's
    /// `invokeModel`, EKS's `call`, the HTTP task) or where that was not checked. Step Functions
    /// serializes a JSON value given for a string or blob member (`MessageBody`, `Payload`,
    /// `Input`).
    pub api_input: bool,
}

/// An action whose parameters Step Functions defines.
const fn a(name: &'static str, patterns: Patterns) -> OptimizedAction {
    OptimizedAction {
        name,
        patterns,
        api_input: false,
    }
}

/// An action whose parameters are its API's input.
const fn api(name: &'static str, patterns: Patterns) -> OptimizedAction {
    OptimizedAction {
        name,
        patterns,
        api_input: true,
    }
}

/// An optimized integration: `arn:aws:states:::<name>:<action>[pattern]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptimizedService {
    /// The service part of the ARN (`dynamodb`, `elasticmapreduce`, `states`).
    pub name: &'static str,
    /// How messages name it (`DynamoDB`, `EMR`).
    pub title: &'static str,
    /// The `aws-sdk:<service>` name of the same service, when its SDK integration calls the same
    /// API (`states` → `sfn`); `None` for the HTTP task, and for services whose optimized API is
    /// not the SDK's (Bedrock's `invokeModel` is `bedrockruntime`'s) or that have no SDK
    /// integration (MediaConvert needs a customer endpoint).
    pub sdk_service: Option<&'static str>,
    /// The prefix of the service errors the integration raises (`DynamoDB`), where the guide or
    /// the corpus's deployed definitions show it (`None`: not known here, not guessed).
    pub error_prefix: Option<&'static str>,
    /// The guide's page (under `https://docs.aws.amazon.com/step-functions/latest/dg/`).
    pub page: &'static str,
    pub actions: &'static [OptimizedAction],
}

impl OptimizedService {
    /// The action called `name` (exact spelling).
    pub fn action(&self, name: &str) -> Option<&'static OptimizedAction> {
        self.actions.iter().find(|a| a.name == name)
    }

    /// Every pattern some action of the service supports.
    pub fn patterns(&self) -> Patterns {
        self.actions.iter().fold(RR, |all, a| all.union(a.patterns))
    }

    /// The names of its actions, for did-you-mean and completion.
    pub fn action_names(&self) -> impl Iterator<Item = &'static str> {
        self.actions.iter().map(|a| a.name)
    }
}

/// The optimized integrations, by ARN service name.
pub static OPTIMIZED: &[OptimizedService] = &[
    OptimizedService {
        name: "apigateway",
        title: "API Gateway",
        sdk_service: Some("apigateway"),
        error_prefix: None,
        page: "connect-api-gateway.html",
        actions: &[a("invoke", WAIT)],
    },
    OptimizedService {
        name: "athena",
        title: "Athena",
        sdk_service: Some("athena"),
        error_prefix: None,
        page: "connect-athena.html",
        actions: &[
            api("startQueryExecution", SYNC),
            api("stopQueryExecution", RR),
            api("getQueryExecution", RR),
            api("getQueryResults", RR),
        ],
    },
    OptimizedService {
        name: "batch",
        title: "AWS Batch",
        sdk_service: Some("batch"),
        error_prefix: None,
        page: "connect-batch.html",
        actions: &[api("submitJob", SYNC)],
    },
    OptimizedService {
        name: "bedrock",
        title: "Amazon Bedrock",
        sdk_service: None,
        error_prefix: None,
        page: "connect-bedrock.html",
        actions: &[
            a("invokeModel", RR),
            // The table of patterns gives Bedrock `.waitForTaskToken`; the page names no API
            // for it, so it is allowed on the job.
            a("createModelCustomizationJob", SYNC_WAIT),
        ],
    },
    OptimizedService {
        name: "codebuild",
        title: "CodeBuild",
        sdk_service: Some("codebuild"),
        error_prefix: None,
        page: "connect-codebuild.html",
        actions: &[
            api("startBuild", SYNC),
            api("stopBuild", RR),
            api("batchDeleteBuilds", RR),
            api("batchGetReports", RR),
            api("startBuildBatch", SYNC),
            api("stopBuildBatch", RR),
            api("retryBuildBatch", SYNC),
            api("deleteBuildBatch", RR),
        ],
    },
    OptimizedService {
        name: "databrew",
        title: "Glue DataBrew",
        sdk_service: Some("databrew"),
        error_prefix: None,
        page: "connect-databrew.html",
        actions: &[api("startJobRun", SYNC)],
    },
    OptimizedService {
        name: "dynamodb",
        title: "DynamoDB",
        sdk_service: Some("dynamodb"),
        error_prefix: Some("DynamoDB"),
        page: "connect-ddb.html",
        actions: &[
            api("getItem", RR),
            api("putItem", RR),
            api("updateItem", RR),
            api("deleteItem", RR),
        ],
    },
    OptimizedService {
        name: "ecs",
        title: "ECS/Fargate",
        sdk_service: Some("ecs"),
        error_prefix: None,
        page: "connect-ecs.html",
        actions: &[api("runTask", SYNC_WAIT)],
    },
    OptimizedService {
        name: "eks",
        title: "EKS",
        sdk_service: Some("eks"),
        error_prefix: None,
        page: "connect-eks.html",
        // The table of patterns allows `.waitForTaskToken` for EKS, the EKS page does not: not
        // refused here (see the module docs).
        actions: &[
            a("createCluster", SYNC_WAIT),
            a("deleteCluster", SYNC_WAIT),
            a("createFargateProfile", SYNC_WAIT),
            a("deleteFargateProfile", SYNC_WAIT),
            a("createNodegroup", SYNC_WAIT),
            a("deleteNodegroup", SYNC_WAIT),
            a("runJob", SYNC_WAIT),
            a("call", WAIT),
        ],
    },
    OptimizedService {
        name: "elasticmapreduce",
        title: "EMR",
        sdk_service: Some("emr"),
        error_prefix: None,
        page: "connect-emr.html",
        actions: &[
            a("createCluster", SYNC),
            a("setClusterTerminationProtection", RR),
            a("modifyInstanceFleetByName", RR),
            a("modifyInstanceGroupByName", RR),
            a("terminateCluster", SYNC),
            a("addStep", SYNC),
            a("cancelStep", RR),
        ],
    },
    OptimizedService {
        name: "emr-containers",
        title: "EMR on EKS",
        sdk_service: Some("emrcontainers"),
        error_prefix: None,
        page: "connect-emr-eks.html",
        actions: &[
            a("createVirtualCluster", RR),
            a("deleteVirtualCluster", SYNC),
            a("startJobRun", SYNC),
        ],
    },
    OptimizedService {
        name: "emr-serverless",
        title: "EMR Serverless",
        sdk_service: Some("emrserverless"),
        error_prefix: None,
        page: "connect-emr-serverless.html",
        actions: &[
            a("createApplication", SYNC),
            a("startApplication", SYNC),
            a("stopApplication", SYNC),
            a("deleteApplication", SYNC),
            a("startJobRun", SYNC),
            a("cancelJobRun", SYNC),
        ],
    },
    OptimizedService {
        name: "events",
        title: "EventBridge",
        sdk_service: Some("eventbridge"),
        error_prefix: None,
        page: "connect-eventbridge.html",
        actions: &[api("putEvents", WAIT)],
    },
    OptimizedService {
        name: "glue",
        title: "Glue",
        sdk_service: Some("glue"),
        error_prefix: None,
        page: "connect-glue.html",
        actions: &[api("startJobRun", SYNC)],
    },
    OptimizedService {
        name: "http",
        title: "the HTTP task",
        sdk_service: None,
        error_prefix: None,
        page: "call-https-apis.html",
        actions: &[a("invoke", RR)],
    },
    OptimizedService {
        name: "lambda",
        title: "Lambda",
        sdk_service: Some("lambda"),
        error_prefix: Some("Lambda"),
        page: "connect-lambda.html",
        actions: &[api("invoke", WAIT)],
    },
    OptimizedService {
        name: "mediaconvert",
        title: "MediaConvert",
        sdk_service: None,
        error_prefix: None,
        page: "connect-mediaconvert.html",
        actions: &[a("createJob", SYNC)],
    },
    OptimizedService {
        name: "sagemaker",
        title: "SageMaker AI",
        sdk_service: Some("sagemaker"),
        error_prefix: None,
        page: "connect-sagemaker.html",
        actions: &[
            a("createEndpoint", RR),
            a("createEndpointConfig", RR),
            a("createHyperParameterTuningJob", SYNC),
            a("createLabelingJob", SYNC),
            a("createModel", RR),
            a("createProcessingJob", SYNC),
            a("createTrainingJob", SYNC),
            a("createTransformJob", SYNC),
            a("updateEndpoint", RR),
        ],
    },
    OptimizedService {
        name: "sns",
        title: "SNS",
        sdk_service: Some("sns"),
        error_prefix: None,
        page: "connect-sns.html",
        actions: &[api("publish", WAIT)],
    },
    OptimizedService {
        name: "sqs",
        title: "SQS",
        sdk_service: Some("sqs"),
        error_prefix: Some("SQS"),
        page: "connect-sqs.html",
        actions: &[api("sendMessage", WAIT)],
    },
    OptimizedService {
        name: "states",
        title: "Step Functions",
        sdk_service: Some("sfn"),
        error_prefix: Some("StepFunctions"),
        page: "connect-stepfunctions.html",
        actions: &[api(
            "startExecution",
            Patterns {
                sync: true,
                sync2: true,
                wait: true,
            },
        )],
    },
];

/// The optimized integration whose ARN names `service`.
pub fn optimized_service(service: &str) -> Option<&'static OptimizedService> {
    OPTIMIZED.iter().find(|s| s.name == service)
}

/// The service errors an optimized integration raises that the guide names (beyond the
/// `States.*` errors, which are no service's): the Lambda page's retry advice, the DynamoDB
/// page's conditional write, and those the corpus's deployed definitions catch. A service's other errors are `<error_prefix>.<ErrorCode>` of its
/// API and are not listed here.
pub fn optimized_errors(service: &str) -> &'static [&'static str] {
    match service {
        "lambda" => &[
            "Lambda.ServiceException",
            "Lambda.AWSLambdaException",
            "Lambda.SdkClientException",
            "Lambda.TooManyRequestsException",
            "Lambda.ClientExecutionTimeoutException",
            "Lambda.Unknown",
        ],
        "dynamodb" => &[
            "DynamoDB.ConditionalCheckFailedException",
            "DynamoDB.AmazonDynamoDBException",
        ],
        // Seen in catchers of deployed definitions of the corpus.
        "states" => &["StepFunctions.ExecutionAlreadyExistsException"],
        "sqs" => &["SQS.AmazonSQSException", "SQS.SdkClientException"],
        _ => &[],
    }
}

/// An `aws-sdk:<name>` service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SdkService {
    /// As written in the ARN (`sfn`, `cloudwatchlogs`).
    pub name: &'static str,
    /// botocore's service id (`stepfunctions`, `logs`).
    pub botocore_id: &'static str,
    /// The prefix of its error names (`Sfn`, `DynamoDb`); `None` where the guide's table leaves
    /// it blank.
    pub error_prefix: Option<&'static str>,
    /// Listed in the guide's table (`false`: seen in deployed definitions, added to AWS since).
    pub documented: bool,
    /// The guide lists it under "Deprecated AWS SDK service integrations".
    pub deprecated: bool,
}

const fn sdk(
    name: &'static str,
    botocore_id: &'static str,
    error_prefix: Option<&'static str>,
    documented: bool,
    deprecated: bool,
) -> SdkService {
    SdkService {
        name,
        botocore_id,
        error_prefix,
        documented,
        deprecated,
    }
}

/// The `aws-sdk` services, sorted by name.
pub static SDK_SERVICES: &[SdkService] = &[
    sdk(
        "accessanalyzer",
        "accessanalyzer",
        Some("AccessAnalyzer"),
        true,
        false,
    ),
    sdk("account", "account", Some("Account"), true, false),
    sdk("acm", "acm", Some("Acm"), true, false),
    sdk("acmpca", "acm-pca", Some("AcmPca"), true, false),
    sdk(
        "alexaforbusiness",
        "alexaforbusiness",
        Some("AlexaForBusiness"),
        true,
        false,
    ),
    sdk("amp", "amp", Some("Amp"), true, false),
    sdk("amplify", "amplify", Some("Amplify"), true, false),
    sdk(
        "amplifybackend",
        "amplifybackend",
        Some("AmplifyBackend"),
        true,
        false,
    ),
    sdk(
        "amplifyuibuilder",
        "amplifyuibuilder",
        Some("AmplifyUiBuilder"),
        true,
        false,
    ),
    sdk("apigateway", "apigateway", Some("ApiGateway"), true, false),
    sdk(
        "apigatewayv2",
        "apigatewayv2",
        Some("ApiGatewayV2"),
        true,
        false,
    ),
    sdk("appconfig", "appconfig", Some("AppConfig"), true, false),
    sdk(
        "appconfigdata",
        "appconfigdata",
        Some("AppConfigData"),
        true,
        false,
    ),
    sdk("appflow", "appflow", Some("Appflow"), true, false),
    sdk(
        "appintegrations",
        "appintegrations",
        Some("AppIntegrations"),
        true,
        false,
    ),
    sdk(
        "applicationautoscaling",
        "application-autoscaling",
        Some("ApplicationAutoScaling"),
        true,
        false,
    ),
    sdk(
        "applicationdiscovery",
        "discovery",
        Some("ApplicationDiscovery"),
        true,
        false,
    ),
    sdk(
        "applicationinsights",
        "application-insights",
        Some("ApplicationInsights"),
        true,
        false,
    ),
    sdk("appmesh", "appmesh", Some("AppMesh"), true, false),
    sdk("appstream", "appstream", Some("AppStream"), true, false),
    sdk("appsync", "appsync", Some("AppSync"), true, false),
    sdk("athena", "athena", Some("Athena"), true, false),
    sdk(
        "auditmanager",
        "auditmanager",
        Some("AuditManager"),
        true,
        false,
    ),
    sdk(
        "autoscaling",
        "autoscaling",
        Some("AutoScaling"),
        true,
        false,
    ),
    sdk(
        "autoscalingplans",
        "autoscaling-plans",
        Some("AutoScalingPlans"),
        true,
        false,
    ),
    sdk("backup", "backup", Some("Backup"), true, false),
    sdk(
        "backupgateway",
        "backup-gateway",
        Some("BackupGateway"),
        true,
        false,
    ),
    sdk("batch", "batch", Some("Batch"), true, false),
    sdk("bedrock", "bedrock", Some("Bedrock"), false, false),
    sdk(
        "bedrockagent",
        "bedrock-agent",
        Some("BedrockAgent"),
        false,
        false,
    ),
    sdk(
        "bedrockagentruntime",
        "bedrock-agent-runtime",
        Some("BedrockAgentRuntime"),
        false,
        false,
    ),
    sdk(
        "bedrockruntime",
        "bedrock-runtime",
        Some("BedrockRuntime"),
        false,
        false,
    ),
    sdk("braket", "braket", Some("Braket"), true, false),
    sdk("budgets", "budgets", Some("Budgets"), true, false),
    sdk("chime", "chime", Some("Chime"), true, false),
    sdk(
        "chimesdkmeetings",
        "chime-sdk-meetings",
        Some("ChimeSdkMeetings"),
        true,
        false,
    ),
    sdk("cloud9", "cloud9", Some("Cloud9"), true, false),
    sdk(
        "cloudcontrol",
        "cloudcontrol",
        Some("CloudControl"),
        true,
        false,
    ),
    sdk(
        "clouddirectory",
        "clouddirectory",
        Some("CloudDirectory"),
        true,
        false,
    ),
    sdk(
        "cloudformation",
        "cloudformation",
        Some("CloudFormation"),
        true,
        false,
    ),
    sdk("cloudfront", "cloudfront", Some("CloudFront"), true, false),
    sdk("cloudhsm", "cloudhsm", Some("CloudHsm"), true, false),
    sdk("cloudhsmv2", "cloudhsmv2", Some("CloudHsmV2"), true, false),
    sdk(
        "cloudsearch",
        "cloudsearch",
        Some("CloudSearch"),
        true,
        false,
    ),
    sdk("cloudtrail", "cloudtrail", Some("CloudTrail"), true, false),
    sdk("cloudwatch", "cloudwatch", Some("CloudWatch"), true, false),
    sdk(
        "cloudwatchlogs",
        "logs",
        Some("CloudWatchLogs"),
        true,
        false,
    ),
    sdk(
        "codeartifact",
        "codeartifact",
        Some("Codeartifact"),
        true,
        false,
    ),
    sdk("codebuild", "codebuild", Some("CodeBuild"), true, false),
    sdk("codecommit", "codecommit", Some("CodeCommit"), true, false),
    sdk("codedeploy", "codedeploy", Some("CodeDeploy"), true, false),
    sdk(
        "codeguruprofiler",
        "codeguruprofiler",
        Some("CodeGuruProfiler"),
        true,
        false,
    ),
    sdk(
        "codegurureviewer",
        "codeguru-reviewer",
        Some("CodeGuruReviewer"),
        true,
        false,
    ),
    sdk(
        "codepipeline",
        "codepipeline",
        Some("CodePipeline"),
        true,
        false,
    ),
    sdk("codestar", "codestar", Some("CodeStar"), true, false),
    sdk(
        "codestarconnections",
        "codestar-connections",
        Some("CodeStarConnections"),
        true,
        false,
    ),
    sdk(
        "codestarnotifications",
        "codestar-notifications",
        Some("CodestarNotifications"),
        true,
        false,
    ),
    sdk(
        "cognitoidentity",
        "cognito-identity",
        Some("CognitoIdentity"),
        true,
        false,
    ),
    sdk(
        "cognitoidentityprovider",
        "cognito-idp",
        Some("CognitoIdentityProvider"),
        true,
        false,
    ),
    sdk(
        "cognitosync",
        "cognito-sync",
        Some("CognitoSync"),
        true,
        false,
    ),
    sdk("comprehend", "comprehend", Some("Comprehend"), true, false),
    sdk(
        "comprehendmedical",
        "comprehendmedical",
        Some("ComprehendMedical"),
        true,
        false,
    ),
    sdk(
        "computeoptimizer",
        "compute-optimizer",
        Some("ComputeOptimizer"),
        true,
        false,
    ),
    sdk("config", "config", Some("Config"), true, false),
    sdk("connect", "connect", Some("Connect"), true, false),
    sdk(
        "connectcontactlens",
        "connect-contact-lens",
        Some("ConnectContactLens"),
        true,
        false,
    ),
    sdk(
        "connectparticipant",
        "connectparticipant",
        Some("ConnectParticipant"),
        true,
        false,
    ),
    sdk(
        "costandusagereport",
        "cur",
        Some("CostAndUsageReport"),
        true,
        false,
    ),
    sdk("costexplorer", "ce", Some("CostExplorer"), true, false),
    sdk(
        "databasemigration",
        "dms",
        Some("DatabaseMigration"),
        true,
        false,
    ),
    sdk("databrew", "databrew", Some("DataBrew"), true, false),
    sdk(
        "dataexchange",
        "dataexchange",
        Some("DataExchange"),
        true,
        false,
    ),
    sdk(
        "datapipeline",
        "datapipeline",
        Some("DataPipeline"),
        true,
        false,
    ),
    sdk("datasync", "datasync", Some("DataSync"), true, false),
    sdk("dax", "dax", Some("Dax"), true, false),
    sdk("detective", "detective", Some("Detective"), true, false),
    sdk("devicefarm", "devicefarm", Some("DeviceFarm"), true, false),
    sdk("devopsguru", "devops-guru", Some("DevOpsGuru"), true, false),
    sdk(
        "directconnect",
        "directconnect",
        Some("DirectConnect"),
        true,
        false,
    ),
    sdk("directory", "ds", Some("Directory"), true, false),
    sdk("dlm", "dlm", Some("Dlm"), true, false),
    sdk("docdb", "docdb", Some("DocDb"), true, false),
    sdk("drs", "drs", Some("Drs"), true, false),
    sdk("dynamodb", "dynamodb", Some("DynamoDb"), true, false),
    sdk(
        "dynamodbstreams",
        "dynamodbstreams",
        Some("DynamoDbStreams"),
        true,
        false,
    ),
    sdk("ebs", "ebs", Some("Ebs"), true, false),
    sdk("ec2", "ec2", Some("Ec2"), true, false),
    sdk(
        "ec2instanceconnect",
        "ec2-instance-connect",
        Some("Ec2InstanceConnect"),
        true,
        false,
    ),
    sdk("ecr", "ecr", Some("Ecr"), true, false),
    sdk("ecrpublic", "ecr-public", Some("EcrPublic"), true, false),
    sdk("ecs", "ecs", Some("Ecs"), true, false),
    sdk("efs", "efs", Some("Efs"), true, false),
    sdk("eks", "eks", Some("Eks"), true, false),
    sdk(
        "elasticache",
        "elasticache",
        Some("ElastiCache"),
        true,
        false,
    ),
    sdk(
        "elasticbeanstalk",
        "elasticbeanstalk",
        Some("ElasticBeanstalk"),
        true,
        false,
    ),
    sdk(
        "elasticinference",
        "elastic-inference",
        Some("ElasticInference"),
        true,
        false,
    ),
    sdk(
        "elasticloadbalancing",
        "elb",
        Some("ElasticLoadBalancing"),
        true,
        false,
    ),
    sdk(
        "elasticloadbalancingv2",
        "elbv2",
        Some("ElasticLoadBalancingV2"),
        true,
        false,
    ),
    sdk("elasticsearch", "es", Some("Elasticsearch"), true, false),
    sdk(
        "elastictranscoder",
        "elastictranscoder",
        Some("ElasticTranscoder"),
        true,
        false,
    ),
    sdk("emr", "emr", Some("Emr"), true, false),
    sdk(
        "emrcontainers",
        "emr-containers",
        Some("EmrContainers"),
        true,
        false,
    ),
    sdk(
        "emrserverless",
        "emr-serverless",
        Some("EmrServerless"),
        false,
        false,
    ),
    sdk("eventbridge", "events", Some("EventBridge"), true, false),
    sdk("evidently", "evidently", Some("Evidently"), true, false),
    sdk("firehose", "firehose", Some("Firehose"), true, false),
    sdk("fis", "fis", Some("Fis"), true, false),
    sdk("fms", "fms", Some("Fms"), true, false),
    sdk("forecast", "forecast", Some("Forecast"), true, false),
    sdk(
        "forecastquery",
        "forecastquery",
        Some("Forecastquery"),
        true,
        false,
    ),
    sdk(
        "frauddetector",
        "frauddetector",
        Some("FraudDetector"),
        true,
        false,
    ),
    sdk("fsx", "fsx", Some("FSx"), true, false),
    sdk("gamelift", "gamelift", Some("GameLift"), true, false),
    sdk("glacier", "glacier", Some("Glacier"), true, false),
    sdk("glue", "glue", Some("Glue"), true, false),
    sdk("grafana", "grafana", Some("Grafana"), true, false),
    sdk("greengrass", "greengrass", Some("Greengrass"), true, false),
    sdk(
        "greengrassv2",
        "greengrassv2",
        Some("GreengrassV2"),
        true,
        false,
    ),
    sdk(
        "groundstation",
        "groundstation",
        Some("GroundStation"),
        true,
        false,
    ),
    sdk("guardduty", "guardduty", Some("GuardDuty"), true, false),
    sdk("healthlake", "healthlake", Some("HealthLake"), true, false),
    sdk("honeycode", "honeycode", Some("Honeycode"), true, false),
    sdk("iam", "iam", Some("Iam"), true, false),
    sdk(
        "identitystore",
        "identitystore",
        Some("Identitystore"),
        true,
        false,
    ),
    sdk(
        "imagebuilder",
        "imagebuilder",
        Some("Imagebuilder"),
        true,
        false,
    ),
    sdk("inspector", "inspector", Some("Inspector"), true, false),
    sdk("inspector2", "inspector2", Some("Inspector2"), true, false),
    sdk("iot", "iot", Some("Iot"), true, false),
    sdk(
        "iot1clickprojects",
        "iot1click-projects",
        Some("Iot1ClickProjects"),
        true,
        false,
    ),
    sdk(
        "iotanalytics",
        "iotanalytics",
        Some("IoTAnalytics"),
        true,
        false,
    ),
    sdk(
        "iotdeviceadvisor",
        "iotdeviceadvisor",
        Some("IotDeviceAdvisor"),
        true,
        false,
    ),
    sdk("iotevents", "iotevents", Some("IotEvents"), true, false),
    sdk(
        "ioteventsdata",
        "iotevents-data",
        Some("IotEventsData"),
        true,
        false,
    ),
    sdk(
        "iotfleethub",
        "iotfleethub",
        Some("IoTFleetHub"),
        true,
        false,
    ),
    sdk(
        "iotjobsdataplane",
        "iot-jobs-data",
        Some("IotJobsDataPlane"),
        true,
        false,
    ),
    sdk(
        "iotsecuretunneling",
        "iotsecuretunneling",
        Some("IoTSecureTunneling"),
        true,
        false,
    ),
    sdk(
        "iotsitewise",
        "iotsitewise",
        Some("IoTSiteWise"),
        true,
        false,
    ),
    sdk(
        "iotthingsgraph",
        "iotthingsgraph",
        Some("IoTThingsGraph"),
        true,
        false,
    ),
    sdk(
        "iotwireless",
        "iotwireless",
        Some("IotWireless"),
        true,
        false,
    ),
    sdk("ivs", "ivs", Some("Ivs"), true, false),
    sdk("kafka", "kafka", Some("Kafka"), true, false),
    sdk(
        "kafkaconnect",
        "kafkaconnect",
        Some("KafkaConnect"),
        true,
        false,
    ),
    sdk("kendra", "kendra", Some("Kendra"), true, false),
    sdk("kinesis", "kinesis", Some("Kinesis"), true, false),
    sdk(
        "kinesisanalytics",
        "kinesisanalytics",
        Some("KinesisAnalytics"),
        true,
        false,
    ),
    sdk(
        "kinesisanalyticsv2",
        "kinesisanalyticsv2",
        Some("KinesisAnalyticsV2"),
        true,
        false,
    ),
    sdk(
        "kinesisvideo",
        "kinesisvideo",
        Some("KinesisVideo"),
        true,
        false,
    ),
    sdk(
        "kinesisvideoarchivedmedia",
        "kinesis-video-archived-media",
        Some("KinesisVideoArchivedMedia"),
        true,
        false,
    ),
    sdk(
        "kinesisvideomedia",
        "kinesis-video-media",
        Some("KinesisVideoMedia"),
        true,
        false,
    ),
    sdk(
        "kinesisvideosignaling",
        "kinesis-video-signaling",
        Some("KinesisVideoSignaling"),
        true,
        false,
    ),
    sdk("kms", "kms", Some("Kms"), true, false),
    sdk(
        "lakeformation",
        "lakeformation",
        Some("LakeFormation"),
        true,
        false,
    ),
    sdk("lambda", "lambda", Some("Lambda"), true, false),
    sdk(
        "lexmodelbuilding",
        "lex-models",
        Some("LexModelBuilding"),
        true,
        false,
    ),
    sdk(
        "lexmodelsv2",
        "lexv2-models",
        Some("LexModelsV2"),
        true,
        false,
    ),
    sdk("lexruntime", "lex-runtime", Some("LexRuntime"), true, false),
    sdk(
        "lexruntimev2",
        "lexv2-runtime",
        Some("LexRuntimeV2"),
        true,
        false,
    ),
    sdk(
        "licensemanager",
        "license-manager",
        Some("LicenseManager"),
        true,
        false,
    ),
    sdk("lightsail", "lightsail", Some("Lightsail"), true, false),
    sdk("location", "location", Some("Location"), true, false),
    sdk(
        "lookoutvision",
        "lookoutvision",
        Some("LookoutVision"),
        true,
        false,
    ),
    sdk("macie", "macie", None, true, true),
    sdk("macie2", "macie2", Some("Macie2"), true, false),
    sdk(
        "managedblockchain",
        "managedblockchain",
        Some("ManagedBlockchain"),
        true,
        false,
    ),
    sdk(
        "marketplacecatalog",
        "marketplace-catalog",
        Some("MarketplaceCatalog"),
        true,
        false,
    ),
    sdk(
        "marketplacecommerceanalytics",
        "marketplacecommerceanalytics",
        Some("MarketplaceCommerceAnalytics"),
        true,
        false,
    ),
    sdk(
        "marketplaceentitlement",
        "marketplace-entitlement",
        Some("MarketplaceEntitlement"),
        true,
        false,
    ),
    sdk(
        "marketplacemetering",
        "meteringmarketplace",
        Some("MarketplaceMetering"),
        true,
        false,
    ),
    sdk(
        "mediaconnect",
        "mediaconnect",
        Some("MediaConnect"),
        true,
        false,
    ),
    sdk("medialive", "medialive", Some("MediaLive"), true, false),
    sdk(
        "mediapackage",
        "mediapackage",
        Some("MediaPackage"),
        true,
        false,
    ),
    sdk(
        "mediapackagevod",
        "mediapackage-vod",
        Some("MediaPackageVod"),
        true,
        false,
    ),
    sdk("mediastore", "mediastore", Some("MediaStore"), true, false),
    sdk(
        "mediatailor",
        "mediatailor",
        Some("MediaTailor"),
        true,
        false,
    ),
    sdk("memorydb", "memorydb", Some("MemoryDB"), true, false),
    sdk("migrationhub", "mgh", Some("MigrationHub"), true, false),
    sdk(
        "migrationhubconfig",
        "migrationhub-config",
        Some("MigrationHubConfig"),
        true,
        false,
    ),
    sdk(
        "migrationhubstrategy",
        "migrationhubstrategy",
        Some("MigrationHubStrategy"),
        true,
        false,
    ),
    sdk("mobile", "mobile", None, true, true),
    sdk("mq", "mq", Some("Mq"), true, false),
    sdk("mturk", "mturk", Some("MTurk"), true, false),
    sdk("mwaa", "mwaa", Some("Mwaa"), true, false),
    sdk("neptune", "neptune", Some("Neptune"), true, false),
    sdk(
        "networkfirewall",
        "network-firewall",
        Some("NetworkFirewall"),
        true,
        false,
    ),
    sdk("networkmanager", "networkmanager", None, true, false),
    sdk("opensearch", "opensearch", Some("OpenSearch"), true, false),
    sdk("opsworks", "opsworks", Some("OpsWorks"), true, false),
    sdk("opsworkscm", "opsworkscm", Some("OpsWorksCm"), true, false),
    sdk(
        "organizations",
        "organizations",
        Some("Organizations"),
        true,
        false,
    ),
    sdk("outposts", "outposts", Some("Outposts"), true, false),
    sdk("panorama", "panorama", Some("Panorama"), true, false),
    sdk(
        "personalize",
        "personalize",
        Some("Personalize"),
        true,
        false,
    ),
    sdk(
        "personalizeevents",
        "personalize-events",
        Some("PersonalizeEvents"),
        true,
        false,
    ),
    sdk(
        "personalizeruntime",
        "personalize-runtime",
        Some("PersonalizeRuntime"),
        true,
        false,
    ),
    sdk("pi", "pi", Some("Pi"), true, false),
    sdk("pinpoint", "pinpoint", Some("Pinpoint"), true, false),
    sdk(
        "pinpointemail",
        "pinpoint-email",
        Some("PinpointEmail"),
        true,
        false,
    ),
    sdk(
        "pinpointsmsvoice",
        "pinpoint-sms-voice",
        Some("PinpointSmsVoice"),
        true,
        false,
    ),
    sdk("polly", "polly", Some("Polly"), true, false),
    sdk("pricing", "pricing", Some("Pricing"), true, false),
    sdk("qldb", "qldb", Some("Qldb"), true, false),
    sdk(
        "qldbsession",
        "qldb-session",
        Some("QldbSession"),
        true,
        false,
    ),
    sdk("quicksight", "quicksight", Some("QuickSight"), true, false),
    sdk("ram", "ram", Some("Ram"), true, false),
    sdk("rbin", "rbin", Some("Rbin"), true, false),
    sdk("rds", "rds", Some("Rds"), true, false),
    sdk("rdsdata", "rds-data", Some("RdsData"), true, false),
    sdk("redshift", "redshift", Some("Redshift"), true, false),
    sdk(
        "redshiftdata",
        "redshift-data",
        Some("RedshiftData"),
        true,
        false,
    ),
    sdk(
        "rekognition",
        "rekognition",
        Some("Rekognition"),
        true,
        false,
    ),
    sdk(
        "resiliencehub",
        "resiliencehub",
        Some("Resiliencehub"),
        true,
        false,
    ),
    sdk(
        "resourcegroups",
        "resource-groups",
        Some("ResourceGroups"),
        true,
        false,
    ),
    sdk(
        "resourcegroupstaggingapi",
        "resourcegroupstaggingapi",
        Some("ResourceGroupsTaggingApi"),
        true,
        false,
    ),
    sdk("robomaker", "robomaker", Some("RoboMaker"), true, false),
    sdk("route53", "route53", Some("Route53"), true, false),
    sdk(
        "route53domains",
        "route53domains",
        Some("Route53Domains"),
        true,
        false,
    ),
    sdk(
        "route53resolver",
        "route53resolver",
        Some("Route53Resolver"),
        true,
        false,
    ),
    sdk("rum", "rum", Some("Rum"), true, false),
    sdk("s3", "s3", Some("S3"), true, false),
    sdk("s3control", "s3control", Some("S3Control"), true, false),
    sdk("s3outposts", "s3outposts", Some("S3Outposts"), true, false),
    sdk("sagemaker", "sagemaker", Some("SageMaker"), true, false),
    sdk(
        "sagemakera2iruntime",
        "sagemaker-a2i-runtime",
        Some("SageMakerA2IRuntime"),
        true,
        false,
    ),
    sdk(
        "sagemakeredge",
        "sagemaker-edge",
        Some("SagemakerEdge"),
        true,
        false,
    ),
    sdk(
        "sagemakerfeaturestoreruntime",
        "sagemaker-featurestore-runtime",
        Some("SageMakerFeatureStoreRuntime"),
        true,
        false,
    ),
    sdk(
        "sagemakerruntime",
        "sagemaker-runtime",
        Some("SageMakerRuntime"),
        true,
        false,
    ),
    sdk(
        "savingsplans",
        "savingsplans",
        Some("Savingsplans"),
        true,
        false,
    ),
    sdk("scheduler", "scheduler", Some("Scheduler"), false, false),
    sdk("schemas", "schemas", Some("Schemas"), true, false),
    sdk(
        "secretsmanager",
        "secretsmanager",
        Some("SecretsManager"),
        true,
        false,
    ),
    sdk(
        "securityhub",
        "securityhub",
        Some("SecurityHub"),
        true,
        false,
    ),
    sdk(
        "serverlessapplicationrepository",
        "serverlessrepo",
        Some("ServerlessApplicationRepository"),
        true,
        false,
    ),
    sdk(
        "servicecatalog",
        "servicecatalog",
        Some("ServiceCatalog"),
        true,
        false,
    ),
    sdk(
        "servicecatalogappregistry",
        "servicecatalog-appregistry",
        Some("ServiceCatalogAppRegistry"),
        true,
        false,
    ),
    sdk(
        "servicediscovery",
        "servicediscovery",
        Some("ServiceDiscovery"),
        true,
        false,
    ),
    sdk(
        "servicequotas",
        "service-quotas",
        Some("ServiceQuotas"),
        true,
        false,
    ),
    sdk("ses", "ses", Some("Ses"), true, false),
    sdk("sesv2", "sesv2", Some("SesV2"), true, false),
    sdk("sfn", "stepfunctions", Some("Sfn"), true, false),
    sdk("shield", "shield", Some("Shield"), true, false),
    sdk("signer", "signer", Some("Signer"), true, false),
    sdk("sms", "sms", Some("Sms"), true, false),
    sdk("snowball", "snowball", Some("Snowball"), true, false),
    sdk("sns", "sns", Some("Sns"), true, false),
    sdk("sqs", "sqs", Some("Sqs"), true, false),
    sdk("ssm", "ssm", Some("Ssm"), true, false),
    sdk("sso", "sso", Some("Sso"), true, false),
    sdk("ssoadmin", "sso-admin", Some("SsoAdmin"), true, false),
    sdk("ssooidc", "sso-oidc", Some("SsoOidc"), true, false),
    sdk(
        "storagegateway",
        "storagegateway",
        Some("StorageGateway"),
        true,
        false,
    ),
    sdk("sts", "sts", Some("Sts"), true, false),
    sdk("support", "support", Some("Support"), true, false),
    sdk("swf", "swf", Some("Swf"), true, false),
    sdk("synthetics", "synthetics", Some("Synthetics"), true, false),
    sdk("textract", "textract", Some("Textract"), true, false),
    sdk("transcribe", "transcribe", Some("Transcribe"), true, false),
    sdk("transfer", "transfer", Some("Transfer"), true, false),
    sdk("translate", "translate", Some("Translate"), true, false),
    sdk("voiceid", "voice-id", Some("VoiceId"), true, false),
    sdk("waf", "waf", Some("Waf"), true, false),
    sdk(
        "wafregional",
        "waf-regional",
        Some("WafRegional"),
        true,
        false,
    ),
    sdk("wafv2", "wafv2", Some("Wafv2"), true, false),
    sdk(
        "wellarchitected",
        "wellarchitected",
        Some("WellArchitected"),
        true,
        false,
    ),
    sdk("wisdom", "wisdom", Some("Wisdom"), true, false),
    sdk("workdocs", "workdocs", Some("WorkDocs"), true, false),
    sdk("workmail", "workmail", Some("WorkMail"), true, false),
    sdk(
        "workmailmessageflow",
        "workmailmessageflow",
        Some("WorkMailMessageFlow"),
        true,
        false,
    ),
    sdk("workspaces", "workspaces", Some("WorkSpaces"), true, false),
    sdk(
        "workspacesweb",
        "workspaces-web",
        Some("WorkSpacesWeb"),
        true,
        false,
    ),
    sdk("xray", "xray", Some("XRay"), true, false),
];

/// The `aws-sdk:<name>` service (exact spelling: the names are lowercase).
pub fn aws_sdk_service(name: &str) -> Option<&'static SdkService> {
    SDK_SERVICES
        .binary_search_by(|s| s.name.cmp(name))
        .ok()
        .and_then(|i| SDK_SERVICES.get(i))
}

/// The `aws-sdk` service of botocore's service id `id` (`logs` → `cloudwatchlogs`): what a
/// Resource written with botocore's or the CLI's name was meant to be.
pub fn sdk_service_of_botocore(id: &str) -> Option<&'static SdkService> {
    SDK_SERVICES.iter().find(|s| s.botocore_id == id)
}

/// The API actions of supported `aws-sdk` services that Step Functions does not call, as
/// botocore operation names (the guide's "Unsupported API actions" table; rows the guide only
/// links to are left out).
pub static UNSUPPORTED_SDK_ACTIONS: &[(&str, &[&str])] = &[
    ("comprehendmedical", &["DetectEntities"]),
    ("efs", &["CreateTags"]),
    ("elastictranscoder", &["TestRole"]),
    ("emr", &["DescribeJobFlows"]),
    ("iotdeviceadvisor", &["ListTestCases"]),
    ("kinesis", &["SubscribeToShard"]),
    ("lambda", &["InvokeAsync"]),
    ("lexruntimev2", &["StartConversation"]),
    ("mediapackage", &["RotateChannelCredentials"]),
    ("rdsdata", &["ExecuteSql"]),
    ("s3", &["SelectObjectContent"]),
    ("s3control", &["SelectObjectContent"]),
    ("shield", &["DeleteSubscription"]),
];

/// Whether the guide lists `operation` (botocore's name) as unsupported for `service`.
pub fn sdk_action_unsupported(service: &str, operation: &str) -> bool {
    UNSUPPORTED_SDK_ACTIONS
        .iter()
        .any(|(s, ops)| *s == service && ops.contains(&operation))
}

/// The botocore operation an `aws-sdk` action calls: its first letter upper-cased
/// (`getObject` → `GetObject`, `listObjectsV2` → `ListObjectsV2`).
pub fn operation_name(action: &str) -> String {
    let mut chars = action.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The `aws-sdk` action that calls botocore's `operation`: its leading capitals lower-cased, as
/// the AWS SDK for Java names its methods (`GetObject` → `getObject`, `DBClusters`-style acronyms
/// included: `ListDBClusters` stays `listDBClusters`; an operation that starts with an acronym,
/// `CORSConfiguration`-like, lowers the acronym but for the capital that starts the next word).
pub fn action_name(operation: &str) -> String {
    let chars: Vec<char> = operation.chars().collect();
    let upper = chars.iter().take_while(|c| c.is_uppercase()).count();
    // `GetObject`: one capital. `SSOAdminThing`: lower all but the capital before a lowercase
    // letter. All capitals: lower all.
    let lower = if upper <= 1 || upper == chars.len() {
        upper
    } else if chars.get(upper).is_some_and(|c| c.is_lowercase()) {
        upper - 1
    } else {
        upper
    };
    chars
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            if i < lower {
                c.to_lowercase().collect::<Vec<_>>()
            } else {
                vec![*c]
            }
        })
        .collect()
}

/// The error name the `aws-sdk` integration of `service` raises for botocore's error shape
/// `shape`: `<prefix>.<shape>`, with `Exception` added when the shape's name lacks it
/// (`S3` + `NoSuchKey` → `S3.NoSuchKeyException`). `None` when the guide gives the service no
/// prefix.
pub fn sdk_error_name(service: &SdkService, shape: &str) -> Option<String> {
    let prefix = service.error_prefix?;
    let suffix = if shape.ends_with("Exception") {
        ""
    } else {
        "Exception"
    };
    Some(format!("{prefix}.{shape}{suffix}"))
}

/// The errors every `aws-sdk` integration can raise whatever the API: the SDK's own client
/// failure and the service's generic exception (`S3.SdkClientException`, `S3.S3Exception`).
pub fn sdk_common_errors(service: &SdkService) -> Vec<String> {
    match service.error_prefix {
        Some(prefix) => vec![
            format!("{prefix}.SdkClientException"),
            format!("{prefix}.{prefix}Exception"),
        ],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tables_are_sorted_and_unique() {
        for pair in SDK_SERVICES.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} {}",
                pair[0].name,
                pair[1].name
            );
        }
        let mut names: Vec<_> = OPTIMIZED.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPTIMIZED.len());
        for s in OPTIMIZED {
            if let Some(sdk) = s.sdk_service {
                assert!(aws_sdk_service(sdk).is_some(), "{}: {sdk}", s.name);
            }
        }
        for (s, _) in UNSUPPORTED_SDK_ACTIONS {
            assert!(aws_sdk_service(s).is_some(), "{s}");
        }
    }

    #[test]
    fn sdk_names_map_to_botocore() {
        let id = |n: &str| aws_sdk_service(n).map(|s| s.botocore_id);
        assert_eq!(id("sfn"), Some("stepfunctions"));
        assert_eq!(id("eventbridge"), Some("events"));
        assert_eq!(id("cloudwatchlogs"), Some("logs"));
        assert_eq!(id("cognitoidentityprovider"), Some("cognito-idp"));
        assert_eq!(id("s3"), Some("s3"));
        assert_eq!(id("stepfunctions"), None);
        assert_eq!(id("DynamoDB"), None);
        assert_eq!(
            sdk_service_of_botocore("logs").map(|s| s.name),
            Some("cloudwatchlogs")
        );
        assert!(aws_sdk_service("mobile").unwrap().deprecated);
    }

    #[test]
    fn actions_and_operations_convert() {
        assert_eq!(operation_name("getObject"), "GetObject");
        assert_eq!(operation_name("listObjectsV2"), "ListObjectsV2");
        assert_eq!(operation_name(""), "");
        assert_eq!(action_name("GetObject"), "getObject");
        assert_eq!(action_name("ListObjectsV2"), "listObjectsV2");
        assert_eq!(action_name("DescribeDBClusters"), "describeDBClusters");
        for op in [
            "GetObject",
            "StartSyncExecution",
            "PutItem",
            "DescribeDBClusters",
        ] {
            assert_eq!(operation_name(&action_name(op)), op);
        }
    }

    #[test]
    fn error_names_follow_the_guide() {
        let s3 = aws_sdk_service("s3").unwrap();
        assert_eq!(
            sdk_error_name(s3, "NoSuchKey").unwrap(),
            "S3.NoSuchKeyException"
        );
        assert_eq!(
            sdk_error_name(s3, "BucketAlreadyExists").unwrap(),
            "S3.BucketAlreadyExistsException"
        );
        let pca = aws_sdk_service("acmpca").unwrap();
        assert_eq!(
            sdk_error_name(pca, "ResourceNotFoundException").unwrap(),
            "AcmPca.ResourceNotFoundException"
        );
        // The SDK integration's prefix is not the optimized integration's.
        let ddb = aws_sdk_service("dynamodb").unwrap();
        assert_eq!(ddb.error_prefix, Some("DynamoDb"));
        assert_eq!(
            optimized_service("dynamodb").unwrap().error_prefix,
            Some("DynamoDB")
        );
        assert!(optimized_errors("lambda").contains(&"Lambda.TooManyRequestsException"));
        assert!(optimized_errors("dynamodb").contains(&"DynamoDB.ConditionalCheckFailedException"));
        assert_eq!(sdk_error_name(aws_sdk_service("macie").unwrap(), "X"), None);
    }

    #[test]
    fn optimized_actions_and_patterns() {
        let ddb = optimized_service("dynamodb").unwrap();
        assert!(ddb.action("putItem").is_some());
        assert!(ddb.action("query").is_none());
        assert_eq!(ddb.patterns(), Patterns::default());
        let states = optimized_service("states").unwrap();
        assert!(states.action("startExecution").unwrap().patterns.sync2);
        assert!(optimized_service("athena").unwrap().patterns().sync);
        assert!(
            !optimized_service("athena")
                .unwrap()
                .action("getQueryResults")
                .unwrap()
                .patterns
                .sync
        );
        assert!(sdk_action_unsupported("lambda", "InvokeAsync"));
    }
}
