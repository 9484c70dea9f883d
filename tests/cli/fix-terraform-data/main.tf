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
        Next           = "Shipp"
      }
      Ship = {
        Type = "Pass"
        Next = "Don"
      }
      Done = { Type = "Pass" }
    }
  })
}
