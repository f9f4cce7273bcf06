"""What a published report records about its inputs and code, and whether it is fresh."""
