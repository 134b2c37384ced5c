"""Functions the sleigh tests run on workers (imported there by name)."""


def square(x):
    return x * x


def fail_on_three(x):
    if x == 3:
        raise ValueError("three is not allowed")
    return x
