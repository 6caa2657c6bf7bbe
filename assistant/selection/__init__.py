"""The learned answer selector: features of candidate sentences, the model, its training data."""

__all__: list[str] = []
