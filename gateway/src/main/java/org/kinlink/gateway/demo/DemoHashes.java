package org.kinlink.gateway.demo;

import java.util.List;

/**
 * Argon2id hashes (PHC strings, the parameters of {@code SecretHasher}) of the demo PINs and
 * passwords, in the order of {@link DemoData#KIOSK_LOGINS} then {@link DemoData#PASSWORD_LOGINS}.
 *
 * <p>Made once rather than at every fresh {@code kinlink demo}: the secrets are published in the
 * banner anyway, and twelve hashes on a cold JVM cost about 2 s of the start-up on a 2-core machine.
 * {@code DemoHashesTest} checks each one against its secret, so a changed demo secret fails the build.
 */
final class DemoHashes {
  private DemoHashes() {}

  static final List<String> IN_LOGIN_ORDER = List.of(
      "$argon2id$v=19$m=19456,t=2,p=1$cZpbky38KZAlsmUztj3HrA$x5neVPUnVMe/COQGeObixI4Szz1D+YQgetjOR6CLSHw", // A1234BC
      "$argon2id$v=19$m=19456,t=2,p=1$CMG672PMPrKUbT2nX1MHIQ$K76luZI6MwWdf56aRDYRPwyvF5YSLiGJ+bhXNhApgP8", // C3456FG
      "$argon2id$v=19$m=19456,t=2,p=1$uK7NNO787nMjEw6Ng/j0eQ$ef1b3xPApEkg5Lou7cSS+KE+81MC7kBdkpZEJWFGP3M", // D7890HJ
      "$argon2id$v=19$m=19456,t=2,p=1$c+VtXPrTxxcJ/zqgICdBJg$/vkYmrPZ0MA/zm5+wBHVVaidCOw3d65gKbI9a9TWqIM", // E2468KL
      "$argon2id$v=19$m=19456,t=2,p=1$z6z7vITpz0j8bna+P45xpg$4VDhMKnwdZKSuNpWVl+KJxe4aW8cb/IBbVpu90TgPf0", // carer@demo.kinlink.test
      "$argon2id$v=19$m=19456,t=2,p=1$n0dH7Hkjo6iKbcW5ELeC6w$rudCxXxphote6zdYCImzINeedc1m9nnKLDvbxR14Sxs", // dsl@demo.kinlink.test
      "$argon2id$v=19$m=19456,t=2,p=1$hkZjX0aYkpZXWfFMB4xE2w$UPOpoHNmGSVmyWTlepVos6UPhKFSRfwESzqR8rGp2Xw", // socialworker@demo.kinlink.test
      "$argon2id$v=19$m=19456,t=2,p=1$Noc7bzmUPeUw7kbA+Dbyrg$lipdNyn3fMMJIkTvIy3BCH2L/3uUiB4QDZ3aCmNC//4", // solicitor@demo.kinlink.test
      "$argon2id$v=19$m=19456,t=2,p=1$FBfNlafSAbgiT8pzayq3dQ$X4F2qriN0C4fpna/TukOHNYvj71b9m81kMi4IP8P8sM", // officer@styal.demo.kinlink.test
      "$argon2id$v=19$m=19456,t=2,p=1$bogq0BobjpdQ+SfOLLDzmw$Hx8dEQQ6ezXtI5e1wyQHxnyiWGWMUpFgRBS5VMV3Ib8", // security@styal.demo.kinlink.test
      "$argon2id$v=19$m=19456,t=2,p=1$ljzQvHY/4nLipFua7AOF1w$FV2wzJAydA/3D64/VLyig42X10+bpQDMLULQR7WKOP8", // security@send.demo.kinlink.test
      "$argon2id$v=19$m=19456,t=2,p=1$Po30IJtPLebDNbsEG9JK2Q$ar9pxFaNtffm60t+m9VkFf6HjNrMAWHt9/XHRGamht8"); // admin@demo.kinlink.test
}
