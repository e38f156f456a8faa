"""A notebook's tuning call, shared by the language-server tests (notebook documents,
the jupyter-lsp session): the call reads ``ranges`` from an earlier cell, and uses a
copy of the XGBoost image in the user's own account (a custom image, so only the
request rules apply)."""

CALL_BODY = '''import boto3
sm = boto3.client("sagemaker")
sm.create_hyper_parameter_tuning_job(
    HyperParameterTuningJobName="xgb-churn",
    HyperParameterTuningJobConfig={
        "Strategy": "Bayesian",
        "HyperParameterTuningJobObjective": {"Type": "Maximize",
                                             "MetricName": "validation:auc"},
        "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 2},
        "ParameterRanges": ranges,
    },
    TrainingJobDefinition={
        "AlgorithmSpecification": {
            "TrainingImage":
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "TrainingInputMode": "File"},
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/out/"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                           "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    },
)
'''
