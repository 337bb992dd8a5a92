public import CallEvents
public enum CallAssemblyModule {}
