#!/usr/bin/env python3
"""Expands a SAM template with aws-sam-translator and prints each function's IAM statements as JSON.

    python3 scripts/iam-policies.py TEMPLATE REGION

Output: {"<FunctionLogicalId>": [{"Effect", "Action", "Resource", ..., "Policy"}, ...], ...}, one entry per
AWS::Serverless::Function, with the statements of the role SAM generates for it: the template's Policies as SAM
expands them (policy templates such as DynamoDBCrudPolicy become statements), plus the AWS managed policies SAM
attaches. Intrinsic functions (Ref, Fn::Sub, Fn::GetAtt) are left for the caller, which knows the resources'
physical names. "Policy" names where a statement came from: an inline policy of the role, or a managed policy ARN.
"""
import copy
import json
import os
import sys

# The documents of the AWS managed policies SAM attaches to function roles (IAM is not reachable from here). A
# managed policy not listed is an error, not an empty grant.
MANAGED_POLICIES = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole": [
        {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": "*"},
    ],
    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole": [
        {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                                       "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": "*"},
    ],
}


def fail(message):
    print("iam-policies: " + message, file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) != 3:
        fail("usage: iam-policies.py TEMPLATE REGION")
    template_path, region = sys.argv[1], sys.argv[2]
    try:
        from samtranslator.parser import parser
        from samtranslator.translator.translator import Translator
        from samtranslator.yaml_helper import yaml_parse
    except ImportError as e:
        fail("the Python package samtranslator (aws-sam-translator) is missing for " + sys.executable
             + " (" + str(e) + "): install it, e.g. pip install aws-sam-translator")

    with open(template_path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    functions = [logical_id for logical_id, resource in template.get("Resources", {}).items()
                 if resource.get("Type") == "AWS::Serverless::Function"]
    sam = copy.deepcopy(template)
    for logical_id in functions:
        # SAM accepts only S3 locations here; where the code lives does not change the role.
        sam["Resources"][logical_id].setdefault("Properties", {})["CodeUri"] = "s3://local/" + logical_id + ".zip"
    os.environ["AWS_DEFAULT_REGION"] = region
    # Parameters without a Default get a placeholder: no policy of this template depends on their values.
    parameters = {name: "placeholder-" + "x" * 32 for name, spec in template.get("Parameters", {}).items()
                  if "Default" not in spec}
    cloudformation = Translator(managed_policy_map={}, sam_parser=parser.Parser()).translate(
        sam, parameter_values=parameters)

    resources = cloudformation["Resources"]
    roles = {}
    for logical_id in functions:
        role = resources[logical_id]["Properties"].get("Role")
        if not (isinstance(role, dict) and "Fn::GetAtt" in role and role["Fn::GetAtt"][0] in resources):
            fail(logical_id + ": its Role is not one SAM generated in this template (" + json.dumps(role) + ")")
        properties = resources[role["Fn::GetAtt"][0]]["Properties"]
        statements = []
        for policy in properties.get("Policies", []):
            for statement in as_list(policy["PolicyDocument"]["Statement"]):
                statements.append(dict(statement, Policy=policy["PolicyName"]))
        for arn in properties.get("ManagedPolicyArns", []):
            if arn not in MANAGED_POLICIES:
                fail(logical_id + ": managed policy " + json.dumps(arn) + " is not known to this script")
            statements.extend(dict(statement, Policy=arn) for statement in MANAGED_POLICIES[arn])
        roles[logical_id] = statements
    json.dump(roles, sys.stdout, indent=1, sort_keys=True)
    print()


def as_list(value):
    return value if isinstance(value, list) else [value]


if __name__ == "__main__":
    main()
