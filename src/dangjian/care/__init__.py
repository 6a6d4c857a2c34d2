"""Care for members (党内关怀): the register of members in difficulty (困难党员), the
help given to them, and visits to the old and the sick, with the figures an office
reports. Sensitive personal data: the office and secretaries only, every read audited."""
