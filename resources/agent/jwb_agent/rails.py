"""The total of a set of rails, as jtop computes it (jtop/core/power.py; jetson-facts.md §2.2):
the module's input rail when the board has one (Thor's is `VIN`), else the sum of the rails."""

INPUT_RAILS = ("VDD_IN", "POM_5V_IN", "VIN")


def input_or_sum(names, values):
    for name in INPUT_RAILS:
        if name in names:
            return values[names.index(name)]
    return sum(values)
