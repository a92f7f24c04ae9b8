"""One folder per tour chapter; ``neuronlab.tour.registry`` discovers them."""
