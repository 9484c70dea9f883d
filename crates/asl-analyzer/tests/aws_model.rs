//! The definition of issue 15: a typo'd aws-sdk action, a misspelt parameter and a catcher for
//! another service's error, each reported at its own place from the AWS model.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use asl_analyzer::{Options, analyze};
use asl_syntax::Dialect;

#[test]
fn the_three_mistakes_are_found_where_they_are() {
    let text = r#"{"StartAt":"Q","States":{"Q":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:getObjekt",
 "Parameters":{"Bucket":"b","Kee":"k"},"TimeoutSeconds":5,
 "Catch":[{"ErrorEquals":["DynamoDB.ConditionalCheckFailedException"],"Next":"F"}],"End":true},
 "F":{"Type":"Fail"}}}"#;
    let found: Vec<(&str, String, &str)> = analyze(text, Dialect::Json, &Options::default())
        .iter()
        .filter(|d| matches!(d.code(), "ASL407" | "ASL408" | "ASL214"))
        .map(|d| {
            (
                d.code(),
                d.pointer.clone(),
                &text[std::ops::Range::<usize>::from(d.range)],
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("ASL407", "/States/Q/Resource".to_owned(), "getObjekt"),
            ("ASL408", "/States/Q/Parameters/Kee".to_owned(), "\"Kee\""),
            (
                "ASL214",
                "/States/Q/Catch/0/ErrorEquals/0".to_owned(),
                "\"DynamoDB.ConditionalCheckFailedException\""
            ),
        ]
    );
    // `dynamodb:query` is no optimized integration.
    let query = r#"{"StartAt":"Q","States":{"Q":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:query","End":true}}}"#;
    let codes: Vec<&str> = analyze(query, Dialect::Json, &Options::default())
        .iter()
        .map(|d| d.code())
        .filter(|c| *c == "ASL407")
        .collect();
    assert_eq!(codes, ["ASL407"]);
}

#[test]
fn optimized_actions_said_to_take_their_api_input_name_a_modelled_operation() {
    use asl_analyzer::spec::integrations::{OPTIMIZED, aws_sdk_service, operation_name};
    let mut checked = 0;
    for service in OPTIMIZED {
        for action in service.actions.iter().filter(|a| a.api_input) {
            let sdk = service
                .sdk_service
                .and_then(aws_sdk_service)
                .unwrap_or_else(|| panic!("{}: no aws-sdk service", service.name));
            let model = asl_aws::service(sdk.botocore_id)
                .unwrap_or_else(|| panic!("{}: no model {}", service.name, sdk.botocore_id));
            let operation = operation_name(action.name);
            assert!(
                model.operation(&operation).is_some(),
                "{}:{} has no operation {operation} in {}",
                service.name,
                action.name,
                sdk.botocore_id
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 25);
}
