# A state machine written with jsonencode: its findings point into this file.
variable "timeout" {
  type    = number
  default = 60
}

resource "aws_lambda_function" "charge" {
  function_name = "charge"
  role          = "arn:aws:iam::123456789012:role/charge"
}

resource "aws_sfn_state_machine" "orders" {
  name     = "orders"
  role_arn = aws_iam_role.sfn.arn
  type     = "EXPRESS"

  definition = jsonencode({
    Comment = "Orders for ${var.env}"
    StartAt = "Charge"
    States = {
      Charge = {
        Type           = "Task"
        Resource       = "arn:aws:states:::lambda:invoke"
        Parameters     = { FunctionName = aws_lambda_function.charge.arn, "Payload.$" = "$" }
        TimeoutSeconds = var.timeout
        Next           = "Shipp"
      }
      "Ship" : {
        Type     = "Task",
        Resource = aws_lambda_function.charge.arn,
        Retry    = [{ ErrorEquals = ["States.ALL"], MaxAttempts = 2 }],
        End      = true
      }
    }
  })
}
