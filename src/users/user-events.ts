/**
 * Published on the EventBus with a user id whenever something cached per user changes (plan,
 * limits): every instance drops its cached API keys of that user.
 */
export const USER_CHANGED_CHANNEL = 'user-changed';
