"""Background work of the emulator: reporting-webhook delivery and the delivery-event bus."""
