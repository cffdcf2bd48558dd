export * from './password-hasher';
export * from './token-signer';
export * from './secret-box';
export * from './principal';
export * from './scope';
export * from './scope.service';
