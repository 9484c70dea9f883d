# Fixed in HCL: the typo'd Next, and End = true added on its own line.
resource "aws_sfn_state_machine" "orders" {
  name     = "orders"
  role_arn = var.role_arn

  definition = jsonencode({
    Comment = "Orders for ${var.env}"
    StartAt = "Charge"
    States = {
      Charge = {
        Type           = "Task"
        Resource       = "arn:aws:states:::lambda:invoke"
        Parameters     = { FunctionName = var.charge_arn, "Payload.$" = "$" }
        TimeoutSeconds = var.timeout
        Next           = "Ship"
        Retry = [
          {
            ErrorEquals = [
              "Lambda.ServiceException",
              "Lambda.AWSLambdaException",
              "Lambda.SdkClientException",
              "Lambda.TooManyRequestsException"
            ]
            IntervalSeconds = 1
            MaxAttempts = 3
            BackoffRate = 2
            JitterStrategy = "FULL"
          }
        ]
      }
      Ship = {
        Type = "Pass"
        Next = "Done"
      }
      Done = { Type = "Pass", End = true }
    }
  })
}
