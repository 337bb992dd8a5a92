public enum CallEventsModule {}
