"""异常 (issue 17): failed steps, failing emails and stuck cases, and the actions on them."""
