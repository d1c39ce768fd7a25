import { registerDecorator, ValidationOptions } from 'class-validator';
import { canonicalIpRule } from '../ip-allowlist';

/** Each element is an IPv4/IPv6 address or CIDR range. */
export function IsIpOrCidrEach(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIpOrCidr',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        each: true,
        message: 'each value in $property must be an IPv4/IPv6 address or CIDR range',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && canonicalIpRule(value) !== null },
    });
}
