/** Every error the service answers with; {@link ERROR_DEFINITIONS} maps each to its status and message. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  InvalidToken = 'INVALID_TOKEN',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  InvalidApiKey = 'INVALID_API_KEY',
  InvalidSignature = 'INVALID_SIGNATURE',
  InsufficientPermissions = 'INSUFFICIENT_PERMISSIONS',
  IpNotAllowed = 'IP_NOT_ALLOWED',
  AdminOnly = 'ADMIN_ONLY',
  NotFound = 'NOT_FOUND',
  EmailTaken = 'EMAIL_TAKEN',
  Conflict = 'CONFLICT',
  RequestTimeout = 'REQUEST_TIMEOUT',
  TrackAlreadyInPlaylist = 'TRACK_ALREADY_IN_PLAYLIST',
  TrainingJobActive = 'TRAINING_JOB_ACTIVE',
  ModelNotReady = 'MODEL_NOT_READY',
  NotEnoughTrainingData = 'NOT_ENOUGH_TRAINING_DATA',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UriTooLong = 'URI_TOO_LONG',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  HeadersTooLarge = 'HEADERS_TOO_LARGE',
  RateLimitExceeded = 'RATE_LIMIT_EXCEEDED',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL',
}

export interface ErrorDefinition {
  status: number;
  message: string;
}

export const ERROR_DEFINITIONS: Record<ErrorCode, ErrorDefinition> = {
  [ErrorCode.ValidationFailed]: { status: 400, message: 'Validation failed' },
  [ErrorCode.InvalidToken]: { status: 401, message: 'Invalid or missing token' },
  [ErrorCode.InvalidCredentials]: { status: 401, message: 'Invalid email or password' },
  [ErrorCode.InvalidApiKey]: { status: 401, message: 'Invalid API key' },
  [ErrorCode.InvalidSignature]: { status: 401, message: 'Invalid signature' },
  [ErrorCode.InsufficientPermissions]: { status: 403, message: 'Insufficient permissions' },
  [ErrorCode.IpNotAllowed]: { status: 403, message: 'IP address not allowed' },
  [ErrorCode.AdminOnly]: { status: 403, message: 'Admin role required' },
  [ErrorCode.NotFound]: { status: 404, message: 'Not found' },
  [ErrorCode.EmailTaken]: { status: 409, message: 'Email already registered' },
  [ErrorCode.Conflict]: { status: 409, message: 'Conflict' },
  [ErrorCode.RequestTimeout]: { status: 408, message: 'Request timeout' },
  [ErrorCode.TrackAlreadyInPlaylist]: { status: 409, message: 'Track already in playlist' },
  [ErrorCode.TrainingJobActive]: { status: 409, message: 'A training job is already queued or running' },
  [ErrorCode.ModelNotReady]: { status: 409, message: 'Model has not succeeded' },
  [ErrorCode.NotEnoughTrainingData]: { status: 422, message: 'Not enough training data' },
  [ErrorCode.PayloadTooLarge]: { status: 413, message: 'Payload too large' },
  [ErrorCode.UriTooLong]: { status: 414, message: 'URI too long' },
  [ErrorCode.UnsupportedMediaType]: { status: 415, message: 'Unsupported media type' },
  [ErrorCode.HeadersTooLarge]: { status: 431, message: 'Request header fields too large' },
  [ErrorCode.RateLimitExceeded]: { status: 429, message: 'Rate limit exceeded' },
  [ErrorCode.TooManyRequests]: { status: 429, message: 'Too many requests' },
  [ErrorCode.ServiceUnavailable]: { status: 503, message: 'Service unavailable' },
  [ErrorCode.Internal]: { status: 500, message: 'Internal server error' },
};
